import { type Clock, realClock } from "../time/clock.js";

/**
 * Shared state of a portal's request budget. Stores implement GCRA, the
 * scheduling form of the portal's own leaky bucket (docs/protocol.md §4.1): with
 * burst B and drain r, a request may go once the bucket would hold at most
 * B-1. `reserve` books the next slot and says how long to wait for it, so
 * concurrent callers queue in order instead of polling and colliding.
 * `burst` may be fractional: the limiter passes the burst less its jitter
 * allowance. Every adapter runs the conformance suite of
 * `@b24kit/rest/testing` (`describeBucketStore`).
 */
export interface BucketStore {
  /** Books a slot; resolves to the milliseconds to wait before sending. */
  reserve(key: string, burst: number, perSecond: number): Promise<number>;
  /** Gives back a slot booked by `reserve` whose request was never sent (aborted, refused connection). */
  release(key: string, burst: number, perSecond: number): Promise<void>;
  /** The portal said QUERY_LIMIT_EXCEEDED: treat the bucket as full from now. */
  fill(key: string, burst: number, perSecond: number): Promise<void>;
}

/** One process; time from the client's clock. */
export class MemoryBucketStore implements BucketStore {
  /** Theoretical arrival time of the next request, per key (GCRA's TAT). */
  readonly #tat = new Map<string, number>();
  readonly #clock: Clock;

  constructor(clock: Clock = realClock) {
    this.#clock = clock;
  }

  async reserve(key: string, burst: number, perSecond: number): Promise<number> {
    const now = this.#clock.now();
    const interval = 1000 / perSecond;
    const tolerance = Math.max(0, burst - 1) * interval;
    const tat = Math.max(this.#tat.get(key) ?? now, now);
    this.#tat.set(key, tat + interval);
    return Math.max(0, tat - tolerance - now);
  }

  async release(key: string, _burst: number, perSecond: number): Promise<void> {
    const tat = this.#tat.get(key);
    if (tat === undefined) return;
    const next = tat - 1000 / perSecond;
    if (next <= this.#clock.now()) this.#tat.delete(key);
    else this.#tat.set(key, next);
  }

  async fill(key: string, burst: number, perSecond: number): Promise<void> {
    const interval = 1000 / perSecond;
    const full = this.#clock.now() + burst * interval;
    this.#tat.set(key, Math.max(this.#tat.get(key) ?? 0, full));
  }
}
