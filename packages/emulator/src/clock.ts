/**
 * The emulator's single source of time. Token expiry, limits and event ages all
 * read it, so `POST clock {advanceSeconds}` moves every one of them at once;
 * `freeze` stops it (deterministic limit tests), `unfreeze` lets it run again.
 */
export class Clock {
  #offsetMs = 0;
  #frozenAt: number | undefined;

  /** Milliseconds since the epoch, shifted by every advance so far. */
  nowMs(): number {
    return (this.#frozenAt ?? Date.now()) + this.#offsetMs;
  }

  /** Unix seconds (with fraction). */
  nowSeconds(): number {
    return this.nowMs() / 1000;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError("advanceSeconds must be a number >= 0");
    this.#offsetMs += seconds * 1000;
  }

  freeze(): void {
    this.#frozenAt ??= Date.now();
  }

  unfreeze(): void {
    if (this.#frozenAt === undefined) return;
    // Keep time continuous: the frozen span does not count.
    this.#offsetMs -= Date.now() - this.#frozenAt;
    this.#frozenAt = undefined;
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  snapshot(): { offsetMs: number } {
    return { offsetMs: this.#offsetMs };
  }

  restore(s: { offsetMs: number }): void {
    this.#offsetMs = s.offsetMs;
  }
}
