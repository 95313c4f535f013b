/**
 * Makes a token refresh single-flight across processes. The OAuth client
 * already coalesces refreshes within a process; a lock extends that to every
 * process sharing the portal's tokens. Every adapter runs the conformance
 * suite of `@b24kit/rest/testing` (`describeRefreshLock`).
 */
export interface RefreshLock {
  /** Runs `fn` while holding `key`; the hold expires after `ttlMs` if its holder dies. */
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

/** In-process lock (one process, several clients for the same portal). */
export function localRefreshLock(): RefreshLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock(key, _ttlMs, fn) {
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.catch(() => {}).then(fn);
      tails.set(key, run);
      try {
        return await run;
      } finally {
        if (tails.get(key) === run) tails.delete(key);
      }
    },
  };
}
