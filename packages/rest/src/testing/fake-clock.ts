import { onAbort } from "../time/abort-listeners.js";
import type { Clock } from "../time/clock.js";

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** Lets every promise callback that is ready run (several macrotask turns, for chains of awaits). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. `advance(ms)` fires every sleep that
 * falls due, in order, letting the code woken by one timer run (and start
 * new sleeps) before the next fires — so retries, limiter waits and timeouts
 * play out exactly as they would in real time, in microseconds.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: Timer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        fire: () => {
          stopListening();
          resolve();
        },
      };
      const stopListening = signal
        ? onAbort(signal, () => {
            const i = this.#timers.indexOf(timer);
            if (i !== -1) this.#timers.splice(i, 1);
            reject(signal.reason);
          })
        : () => {};
      this.#timers.push(timer);
    });
  }

  /** Sleeps not yet due. */
  get pending(): number {
    return this.#timers.length;
  }

  /** When the next sleep falls due, if any. */
  get nextAt(): number | undefined {
    return this.#earliest()?.at;
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers)
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  /** Moves time forward by `ms`, firing what falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fire();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /**
   * Fires every sleep, including those started by the code it wakes, until
   * none is left or `limitMs` of fake time has passed; returns the time moved.
   */
  async runAll(limitMs = 24 * 3600_000): Promise<number> {
    const start = this.#now;
    await settle();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at - start > limitMs) break;
      await this.advance(next.at - this.#now);
    }
    return this.#now - start;
  }
}
