import { redactSecrets } from "../logging/secret-redaction.js";
import type { AppStore } from "../storage/app-store.js";

const DAY_MS = 86_400_000;

/** Wall-clock unix ms and a sleep that stops on abort (a FakeClock started at a date fits). */
export interface RetentionClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time whose timers never keep the process alive: background chores must not block a clean exit. */
export const unrefClock: RetentionClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      timer.unref();
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

function checkDays(retentionDays: number): void {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError(`retentionDays must be a positive number of days, got ${retentionDays}`);
  }
}

/**
 * Deletes every tenant's audit lines older than `retentionDays`; resolves how
 * many went. Idempotent, so several processes running it (cluster profile)
 * only repeat a cheap DELETE.
 */
export function pruneAuditLog(
  store: AppStore,
  options: { retentionDays: number; clock?: { now(): number } },
): Promise<number> {
  checkDays(options.retentionDays);
  const now = (options.clock ?? Date).now();
  return store.admin.pruneAudit(now - options.retentionDays * DAY_MS);
}

export interface AuditRetentionOptions {
  retentionDays: number;
  /** Real time with unref'd timers unless given. */
  clock?: RetentionClock;
  /** Between prunes; a day unless given. */
  intervalMs?: number;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Told after each prune (a failed one passes the error). */
  onPruned?: (result: { deleted: number } | { error: unknown }) => void;
}

export interface AuditRetention {
  /** Stops the schedule; resolves once a prune in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Prunes now, then every `intervalMs` (daily), until stopped. The timer is
 * unref'd, so a process that is otherwise done exits; a failed prune is logged
 * and retried at the next interval.
 */
export function startAuditRetention(store: AppStore, options: AuditRetentionOptions): AuditRetention {
  checkDays(options.retentionDays);
  const clock = options.clock ?? unrefClock;
  const intervalMs = options.intervalMs ?? DAY_MS;
  const stopped = new AbortController();
  const report = (result: { deleted: number } | { error: unknown }) => {
    try {
      if ("error" in result) {
        options.logger?.warn(
          { err: redactSecrets(result.error) },
          "audit log prune failed; retrying at the next interval",
        );
      } else {
        options.logger?.info(
          { deleted: result.deleted, retention_days: options.retentionDays },
          "audit log pruned",
        );
      }
      options.onPruned?.(result);
    } catch {
      // Reporting must not stop the schedule.
    }
  };
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      try {
        report({ deleted: await pruneAuditLog(store, { retentionDays: options.retentionDays, clock }) });
      } catch (error) {
        report({ error });
      }
      try {
        await clock.sleep(intervalMs, stopped.signal);
      } catch {
        return;
      }
    }
  })();
  return {
    async stop() {
      stopped.abort();
      await loop;
    },
  };
}
