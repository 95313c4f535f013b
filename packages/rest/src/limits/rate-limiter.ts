import { type Clock, realClock } from "../time/clock.js";
import { type BucketStore, MemoryBucketStore } from "./bucket-store.js";

export interface RateLimitOptions {
  /** Requests the portal lets through at once (X): 50, or 250 on Enterprise. */
  burst?: number;
  /** Requests drained per second (Y): 2, or 5 on Enterprise. */
  drainPerSecond?: number;
  /** Where the bucket lives: in this process (default) or shared (`RedisBucketStore` from `@b24kit/rest/redis`). */
  store?: BucketStore;
  /**
   * How much later than scheduled a request may reach the portal's counter
   * (event-loop stalls, new TLS connections, the network) without pushing it
   * over. Requests sent on a schedule arrive on it only within this jitter, so
   * the schedule keeps `jitterAllowanceMs × drainPerSecond` requests of the
   * burst in hand (2 of 50 at the default). Default 1000 ms: see the README.
   */
  jitterAllowanceMs?: number;
  /** Extra requests of the burst kept in hand (default 0). */
  marginRequests?: number;
  /** Drain this fraction slower than the portal, against clock-rate differences (default 0.01). */
  marginRate?: number;
}

export const STANDARD_LIMITS = { burst: 50, drainPerSecond: 2 } as const;
export const ENTERPRISE_LIMITS = { burst: 250, drainPerSecond: 5 } as const;
export const DEFAULT_JITTER_ALLOWANCE_MS = 1000;

/** Limits for a plan, from `app.info` LICENSE / LICENSE_FAMILY (e.g. `en_ent250`, family `ent`). */
export function limitsForLicense(
  license: unknown,
  family?: unknown,
): { burst: number; drainPerSecond: number } {
  const f = String(family ?? "").toLowerCase();
  const l = String(license ?? "").toLowerCase();
  return f === "ent" || /(^|_)ent\d*/.test(l) ? { ...ENTERPRISE_LIMITS } : { ...STANDARD_LIMITS };
}

/** A booked slot: wait `waitMs`, then send — or `release()` it if the request will not be sent. */
export interface Reservation {
  waitMs: number;
  release(): Promise<void>;
}

/** Makes calls wait for their slot in the portal's request budget instead of failing. */
export class RateLimiter {
  readonly store: BucketStore;
  burst: number;
  drainPerSecond: number;
  readonly jitterAllowanceMs: number;
  readonly #marginRequests: number;
  readonly #marginRate: number;
  readonly #clock: Clock;

  constructor(options: RateLimitOptions = {}, clock: Clock = realClock) {
    this.#clock = clock;
    this.store = options.store ?? new MemoryBucketStore(clock);
    this.burst = options.burst ?? STANDARD_LIMITS.burst;
    this.drainPerSecond = options.drainPerSecond ?? STANDARD_LIMITS.drainPerSecond;
    this.jitterAllowanceMs = options.jitterAllowanceMs ?? DEFAULT_JITTER_ALLOWANCE_MS;
    this.#marginRequests = options.marginRequests ?? 0;
    this.#marginRate = options.marginRate ?? 0.01;
  }

  setLimits(limits: { burst: number; drainPerSecond: number }): void {
    this.burst = limits.burst;
    this.drainPerSecond = limits.drainPerSecond;
  }

  /**
   * The schedule's own bucket: GCRA with tolerance τ = (B−1)/r − J accepts
   * exactly the send times whose arrivals, each late by at most J, the
   * portal's GCRA with (B−1)/r accepts (the cell-delay-variation rule of ATM
   * traffic shaping). Never below one request at a time.
   */
  get effective(): { burst: number; drainPerSecond: number } {
    const rate = this.drainPerSecond * (1 - this.#marginRate);
    const burst = this.burst - this.#marginRequests - (this.jitterAllowanceMs / 1000) * this.drainPerSecond;
    return { burst: Math.max(1, burst), drainPerSecond: rate };
  }

  /** Books the next slot for the portal. */
  async reserve(portalKey: string): Promise<Reservation> {
    const { burst, drainPerSecond } = this.effective;
    const waitMs = await this.store.reserve(portalKey, burst, drainPerSecond);
    let released = false;
    return {
      waitMs,
      release: async () => {
        if (released) return;
        released = true;
        await this.store.release(portalKey, burst, drainPerSecond);
      },
    };
  }

  /** Waits until a request may go (the slot is given back if the signal aborts first); returns the wait. */
  async acquire(portalKey: string, signal?: AbortSignal): Promise<number> {
    const slot = await this.reserve(portalKey);
    try {
      await this.#clock.sleep(slot.waitMs, signal);
    } catch (abort) {
      await slot.release();
      throw abort;
    }
    return slot.waitMs;
  }

  /** The portal refused with QUERY_LIMIT_EXCEEDED (someone outside this limiter spent the budget). */
  async exceeded(portalKey: string): Promise<void> {
    const { burst, drainPerSecond } = this.effective;
    await this.store.fill(portalKey, burst, drainPerSecond);
  }
}
