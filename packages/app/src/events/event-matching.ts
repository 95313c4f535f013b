import type { Runtime } from "../core/runtime.js";
import type { QueuedJob } from "../queue/job-queue.js";
import type { EventJobPayload } from "./event-job.js";
import { eventStream } from "./stored-event.js";

const HOUR_MS = 3_600_000;
/** A change read online while the app stays down for days still finds its offline copy matched. */
const KEEP_CLAIMS_MS = 3 * 24 * HOUR_MS;
/** Both copies seen: only a retried job would ask again. */
const KEEP_MATCHED_MS = HOUR_MS;
const PRUNE_EVERY_MS = 10 * 60_000;

export interface EventMatcher {
  /** Whether the other copy of this job's change (online POST or offline row) has run already. */
  isDuplicate(job: QueuedJob, event: EventJobPayload): Promise<boolean>;
}

/**
 * Events the manifest binds offline arrive twice: as the portal's POST, sent
 * after the change with the time of sending, and as a row of the offline queue
 * with the time of the change (api-reference/events/offline-events.md). The
 * two times differ, by more than a second when the portal is busy, so the
 * copies cannot share a queue key; the first copy to run claims the change in
 * the store, and the other, found within `eventMatchWindowSeconds`, is skipped.
 * An offline row holds the object's latest change only: a POST matched to it
 * by mistake (two changes in the window) costs nothing a handler that reads
 * the object's current state would see, and that change's own row comes later.
 */
export function eventMatcher(rt: Runtime): EventMatcher {
  const twice = new Set(
    (rt.manifest.events ?? []).filter((e) => e.offline).map((e) => e.event.toUpperCase()),
  );
  let prunedAt = rt.now();
  const pruneNowAndThen = () => {
    const now = rt.now();
    if (now - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now;
    rt.store.admin
      .pruneEventMatches({ before: now - KEEP_CLAIMS_MS, matchedBefore: now - KEEP_MATCHED_MS })
      .catch(() => {
        // Retried at the next interval; the rows only cost space meanwhile.
      });
  };
  return {
    async isDuplicate(job, event) {
      if (!twice.has(event.event)) return false;
      pruneNowAndThen();
      const outcome = await rt.store.tenant(job.memberId).eventMatches.claim({
        jobId: job.id,
        stream: eventStream(event.event, event.data),
        source: event.source,
        second: event.ts,
        windowSeconds: rt.config.eventMatchWindowSeconds,
        at: rt.now(),
      });
      return outcome === "duplicate";
    },
  };
}
