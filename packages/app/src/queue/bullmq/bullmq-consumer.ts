import { DelayedError, type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { JobConsumer, JobRunner } from "../job-queue.js";
import { type JobData, queuedJob } from "./queued-job.js";
import type { TenantBacklog } from "./tenant-backlog.js";

export interface ConsumerSettings {
  name: string;
  prefix: string;
  /** A client the worker duplicates for its own (blocking) connections; never used itself. */
  template: Redis;
  concurrency: number;
  maxAttempts: number;
  lockDurationMs: number;
  backlog: TenantBacklog;
  onError: (error: Error) => void;
}

/** A BullMQ worker running `run`, plus its force-close for a closing queue. */
export interface BullmqConsumer extends JobConsumer {
  abandon(): Promise<void>;
}

/**
 * One BullMQ Worker. Stalled-job recovery (https://docs.bullmq.io/guide/jobs/stalled):
 * a worker renews its job locks every lockDuration/2; when it dies the lock lapses
 * within lockDuration and the next stalled check (every lockDuration/10) puts the
 * job back, so another worker runs it within about 1.1 × lockDuration (33 s by default).
 */
export function startConsumer(run: JobRunner, settings: ConsumerSettings): BullmqConsumer {
  const { backlog, onError } = settings;
  const worker = new Worker<JobData>(
    settings.name,
    async (job, token) => {
      const outcome = await run(queuedJob(job, settings.maxAttempts));
      if (outcome && outcome.postponeMs > 0) {
        // Back to the delayed set without using an attempt; DelayedError tells the worker it was
        // moved (https://docs.bullmq.io/patterns/process-step-jobs).
        await job.moveToDelayed(Date.now() + outcome.postponeMs, token);
        throw new DelayedError();
      }
    },
    {
      connection: settings.template,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: Math.max(100, Math.round(settings.lockDurationMs / 10)),
      // A worker killed mid-run (deploys, OOM) should not kill the job early; a job that keeps
      // killing its worker is dead after as many crashes as it has attempts.
      maxStalledCount: settings.maxAttempts,
    },
  );
  worker.on("error", onError);
  const settled = (job: Job<JobData> | undefined) => {
    if (job) backlog.remove(job.data.memberId).catch(onError);
  };
  worker.on("completed", settled);
  // "failed" comes after every failed run; only a job that will not run again has finishedOn.
  worker.on("failed", (job) => {
    if (job?.finishedOn) settled(job);
  });
  return {
    stop: () => worker.close(),
    // Runs in flight are left to the stalled check of another worker (at-least-once).
    abandon: () => worker.close(true),
  };
}
