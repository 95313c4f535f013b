import { onAbort } from "../time/abort-listeners.js";
import type { Step } from "./rest-call.js";

/**
 * At most `limit` calls of this client are past the gate at once, so a batch
 * of 10,000 commands or a `Promise.all` of a thousand calls opens a bounded
 * number of connections even with limits off. It stands before auth and
 * throttling: a waiting call holds no bucket slot, so an abort while waiting
 * here costs nothing, and sends are not delayed after their slot.
 */
export function concurrencyGate(limit: number): Step {
  let active = 0;
  const waiting: Array<() => void> = [];
  const enter = (signal: AbortSignal | undefined): Promise<void> => {
    if (active < limit) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const cancel = () => {
        const i = waiting.indexOf(admit);
        if (i !== -1) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      let stopListening = () => {};
      const admit = () => {
        stopListening();
        active += 1;
        resolve();
      };
      if (signal?.aborted) return cancel();
      if (signal) stopListening = onAbort(signal, cancel);
      waiting.push(admit);
    });
  };
  const leave = () => {
    active -= 1;
    waiting.shift()?.();
  };
  return (next) => async (call) => {
    await enter(call.signal);
    try {
      return await next(call);
    } finally {
      leave();
    }
  };
}
