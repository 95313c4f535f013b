import type { Job } from "bullmq";
import type { JsonValue } from "../../options/json-value.js";
import type { QueuedJob } from "../job-queue.js";

/** What a BullMQ job carries for us; its name is the job's kind. */
export interface JobData {
  memberId: string;
  id: string;
  payload: JsonValue;
  /** Unique per enqueue call: tells whether this call stored the job or found one already there. */
  claim: string;
}

export function queuedJob(job: Job<JobData>, defaultMaxAttempts: number): QueuedJob {
  const queued: QueuedJob = {
    memberId: job.data.memberId,
    id: job.data.id,
    kind: job.name,
    payload: job.data.payload,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? defaultMaxAttempts,
    enqueuedAt: job.timestamp,
  };
  if (job.failedReason) queued.lastError = job.failedReason;
  return queued;
}
