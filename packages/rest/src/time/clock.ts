import { onAbort } from "./abort-listeners.js";
/**
 * Where the client reads time and waits. The limiter, the operating budget,
 * the backoff and the request timeout all go through one clock, so tests can
 * run their timing logic on a fake one (`FakeClock` in `@b24kit/rest/testing`)
 * in milliseconds instead of seconds of real time.
 */
export interface Clock {
  /** Monotonic milliseconds: only differences mean something. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // Unregistered when the timer fires: callers often share one long-lived signal.
      const timer = setTimeout(() => {
        stopListening();
        resolve();
      }, ms);
      const stopListening = signal
        ? onAbort(signal, () => {
            clearTimeout(timer);
            reject(signal.reason);
          })
        : () => {};
    });
  },
};
