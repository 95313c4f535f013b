/**
 * Wall-clock time for signed tokens: `now()` is milliseconds since the epoch,
 * because a token issued by one process is checked by another. `FakeClock`
 * from `@b24kit/rest/testing` fits (construct it with an epoch start), but
 * `@b24kit/rest`'s `realClock` does not: it is monotonic (`performance.now()`).
 */
export interface WallClock {
  now(): number;
}

export const systemClock: WallClock = { now: () => Date.now() };
