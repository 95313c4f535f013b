export interface RetryOptions {
  /** Attempts in all, the first included (limit refusals are not attempts). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Limit refusals do not count as attempts; a call gives up once it has been refused for this long. */
  limitWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  limitWaitMs: 15 * 60_000,
};

/** Exponential backoff with ±20 % jitter, so clients that failed together do not retry together. */
export function backoffMs(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + random() * 0.4));
}
