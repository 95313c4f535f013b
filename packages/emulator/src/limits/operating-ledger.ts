/**
 * Operating-time accounting (docs/protocol.md §4.2): execution seconds per
 * (app or webhook, method) summed over ten one-minute buckets; a bucket expires
 * ten minutes after its first call. The call that crosses the limit completes;
 * the next one is refused with 429 OPERATION_TIME_LIMIT until buckets expire.
 */
const WINDOW_MS = 10 * 60 * 1000;
const BUCKET_MS = 60 * 1000;

interface Bucket {
  startMs: number;
  seconds: number;
}

export class OperatingLedger {
  readonly #buckets = new Map<string, Bucket[]>();

  #live(key: string, nowMs: number): Bucket[] {
    const live = (this.#buckets.get(key) ?? []).filter((b) => b.startMs + WINDOW_MS > nowMs);
    this.#buckets.set(key, live);
    return live;
  }

  /** Seconds used in the window, and the unix time (s) when the oldest bucket expires. */
  usage(key: string, nowMs: number): { operating: number; resetAt: number } {
    const live = this.#live(key, nowMs);
    const operating = live.reduce((sum, b) => sum + b.seconds, 0);
    const oldest = live[0]?.startMs ?? nowMs;
    return { operating, resetAt: Math.floor((oldest + WINDOW_MS) / 1000) };
  }

  isBlocked(key: string, nowMs: number, limitSeconds: number): boolean {
    return this.usage(key, nowMs).operating >= limitSeconds;
  }

  add(key: string, nowMs: number, seconds: number): void {
    const live = this.#live(key, nowMs);
    const last = live[live.length - 1];
    if (last && nowMs - last.startMs < BUCKET_MS) last.seconds += seconds;
    else live.push({ startMs: nowMs, seconds });
  }

  reset(prefix = ""): void {
    for (const k of this.#buckets.keys()) if (k.startsWith(prefix)) this.#buckets.delete(k);
  }
}
