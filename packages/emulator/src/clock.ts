/**
 * The emulator's single source of time. Token expiry, limits and event ages all
 * read it, so `POST clock {advanceSeconds}` moves every one of them at once.
 */
export class Clock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, shifted by every advance so far. */
  nowMs(): number {
    return Date.now() + this.#offsetMs;
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

  get offsetMs(): number {
    return this.#offsetMs;
  }

  set offsetMs(value: number) {
    this.#offsetMs = value;
  }
}
