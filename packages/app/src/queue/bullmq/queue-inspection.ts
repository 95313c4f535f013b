import type { Job, Queue } from "bullmq";
import type { QueuedJob, QueueStats } from "../job-queue.js";
import { tenantIdPrefix } from "./job-key.js";
import { type JobData, queuedJob } from "./queued-job.js";

/** Jobs looked at, per BullMQ set, to find the oldest waiting one. */
const AGE_SAMPLE = 100;
/** Dead job ids read per round trip when filtering by tenant. */
const DEAD_PAGE = 500;
const DEFAULT_DEAD_LIMIT = 100;

/**
 * Counts from BullMQ's own sets. The oldest waiting job is looked for among the
 * first AGE_SAMPLE jobs of the wait, prioritized and delayed sets (each ordered
 * by when it runs, not by age), which is exact for small backlogs and a close
 * lower bound for large ones, without reading every job.
 */
export async function queueStats(queue: Queue<JobData>): Promise<QueueStats> {
  const counts = await queue.getJobCounts(
    "waiting",
    "prioritized",
    "delayed",
    "waiting-children",
    "active",
    "failed",
  );
  const count = (type: string) => counts[type] ?? 0;
  const waiting = count("waiting") + count("prioritized") + count("delayed") + count("waiting-children");
  let oldestWaitingAgeMs = 0;
  if (waiting > 0) {
    const sample = await queue.getJobs(["waiting", "prioritized", "delayed"], 0, AGE_SAMPLE - 1, true);
    const oldest = Math.min(...sample.map((job) => job.timestamp));
    if (Number.isFinite(oldest)) oldestWaitingAgeMs = Math.max(0, Date.now() - oldest);
  }
  return { waiting, running: count("active"), dead: count("failed"), oldestWaitingAgeMs };
}

/** Dead (failed) jobs, newest first; a tenant's are found by their job id prefix. */
export async function deadJobs(
  queue: Queue<JobData>,
  maxAttempts: number,
  filter: { memberId?: string; limit?: number },
): Promise<QueuedJob[]> {
  const limit = Math.max(0, filter.limit ?? DEFAULT_DEAD_LIMIT);
  if (limit === 0) return [];
  const toQueued = (jobs: Array<Job<JobData> | undefined>) =>
    jobs.filter((job): job is Job<JobData> => job !== undefined).map((job) => queuedJob(job, maxAttempts));
  if (filter.memberId === undefined) return toQueued(await queue.getFailed(0, limit - 1));
  const prefix = tenantIdPrefix(filter.memberId);
  const ids: string[] = [];
  for (let start = 0; ids.length < limit; start += DEAD_PAGE) {
    const page = await queue.getRanges(["failed"], start, start + DEAD_PAGE - 1, false);
    ids.push(...page.filter((id) => id.startsWith(prefix)));
    if (page.length < DEAD_PAGE) break;
  }
  return toQueued(await Promise.all(ids.slice(0, limit).map((id) => queue.getJob(id))));
}
