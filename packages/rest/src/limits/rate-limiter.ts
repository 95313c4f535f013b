import { type BucketStore, MemoryBucketStore } from "./bucket-store.js";

export interface RateLimitOptions {
  /** Requests the portal lets through at once (X): 50, or 250 on Enterprise. */
  burst?: number;
  /** Requests drained per second (Y): 2, or 5 on Enterprise. */
  drainPerSecond?: number;
  store?: BucketStore;
  /**
   * Safety margin against the portal's own bucket: we keep `burst` lower by
   * this many requests and drain this fraction slower, so clock jitter and
   * network reordering never push a request over. Defaults 1 and 0.02.
   */
  marginRequests?: number;
  marginRate?: number;
}

export const STANDARD_LIMITS = { burst: 50, drainPerSecond: 2 } as const;
export const ENTERPRISE_LIMITS = { burst: 250, drainPerSecond: 5 } as const;

/** Limits for a plan, from `app.info` LICENSE / LICENSE_FAMILY (e.g. `en_ent250`, family `ent`). */
export function limitsForLicense(
  license: unknown,
  family?: unknown,
): { burst: number; drainPerSecond: number } {
  const f = String(family ?? "").toLowerCase();
  const l = String(license ?? "").toLowerCase();
  return f === "ent" || /(^|_)ent\d*/.test(l) ? { ...ENTERPRISE_LIMITS } : { ...STANDARD_LIMITS };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    // Remove the listener when the timer fires: callers often share one long-lived signal.
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Makes calls wait for their slot in the portal's request budget instead of failing. */
export class RateLimiter {
  readonly store: BucketStore;
  burst: number;
  drainPerSecond: number;
  readonly #marginRequests: number;
  readonly #marginRate: number;

  constructor(options: RateLimitOptions = {}) {
    this.store = options.store ?? new MemoryBucketStore();
    this.burst = options.burst ?? STANDARD_LIMITS.burst;
    this.drainPerSecond = options.drainPerSecond ?? STANDARD_LIMITS.drainPerSecond;
    this.#marginRequests = options.marginRequests ?? 1;
    this.#marginRate = options.marginRate ?? 0.02;
  }

  setLimits(limits: { burst: number; drainPerSecond: number }): void {
    this.burst = limits.burst;
    this.drainPerSecond = limits.drainPerSecond;
  }

  get #effective(): [number, number] {
    return [Math.max(1, this.burst - this.#marginRequests), this.drainPerSecond * (1 - this.#marginRate)];
  }

  /** Waits until this request may go; returns the time waited (ms). */
  async acquire(portalKey: string, signal?: AbortSignal): Promise<number> {
    const [burst, rate] = this.#effective;
    const wait = await this.store.reserve(portalKey, burst, rate);
    await sleep(wait, signal);
    return wait;
  }

  /** The portal refused with QUERY_LIMIT_EXCEEDED (someone outside this limiter spent the budget). */
  async exceeded(portalKey: string): Promise<void> {
    const [burst, rate] = this.#effective;
    await this.store.fill(portalKey, burst, rate);
  }
}

export { sleep };
