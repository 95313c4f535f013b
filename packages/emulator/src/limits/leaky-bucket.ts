/**
 * The portal's request-intensity limit (docs/protocol.md §4.1): every request adds
 * one to a counter that drains `drainPerSecond`; once the counter would pass
 * `burst`, the request is refused with 503 QUERY_LIMIT_EXCEEDED (and, like on
 * the portal, a refused request does not fill the bucket further).
 */
export class LeakyBuckets {
  readonly #levels = new Map<string, { level: number; atMs: number }>();

  /** Returns true when the request may pass (and counts it). */
  take(key: string, nowMs: number, burst: number, drainPerSecond: number): boolean {
    const state = this.#levels.get(key) ?? { level: 0, atMs: nowMs };
    const drained = Math.max(0, state.level - (Math.max(0, nowMs - state.atMs) / 1000) * drainPerSecond);
    if (drained + 1 > burst) {
      this.#levels.set(key, { level: drained, atMs: nowMs });
      return false;
    }
    this.#levels.set(key, { level: drained + 1, atMs: nowMs });
    return true;
  }

  level(key: string, nowMs: number, drainPerSecond: number): number {
    const state = this.#levels.get(key);
    if (!state) return 0;
    return Math.max(0, state.level - (Math.max(0, nowMs - state.atMs) / 1000) * drainPerSecond);
  }

  reset(prefix = ""): void {
    for (const k of this.#levels.keys()) if (k.startsWith(prefix)) this.#levels.delete(k);
  }
}
