import { randomUUID } from "node:crypto";
import { ErrorCode, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { AppError } from "../core/app-error.js";
import { type BullmqConsumer, startConsumer } from "./bullmq/bullmq-consumer.js";
import { bullmqJobId } from "./bullmq/job-key.js";
import { deadJobs, queueStats } from "./bullmq/queue-inspection.js";
import type { JobData } from "./bullmq/queued-job.js";
import { openRedis, type RedisConnection } from "./bullmq/redis-client.js";
import { TenantBacklog } from "./bullmq/tenant-backlog.js";
import { DEFAULT_QUEUE_POLICY, type JobQueue, type NewJob, type QueuePolicy } from "./job-queue.js";

export interface BullmqJobQueueOptions {
  /** A Redis URL (`redis://host:6379/0`) or ioredis options; the queue opens its own connections. */
  connection: RedisConnection;
  /** Prefix of every Redis key (default `b24kit`); wrap it in `{…}` on Redis Cluster. */
  prefix?: string;
  /** The BullMQ queue name (default `jobs`); no ":". */
  name?: string;
  policy?: QueuePolicy;
  /**
   * How long a worker's lock on a running job lasts without renewal (default 30 000 ms):
   * a job whose worker was killed runs again elsewhere within about 1.1 × this.
   */
  lockDurationMs?: number;
  /** Errors of the Redis connections (default: ignored, they keep reconnecting and calls report failures). */
  onError?: (error: Error) => void;
}

const PING_TIMEOUT_MS = 3000;

/**
 * The cluster profile's queue: BullMQ on Redis, consumed by `b24kit worker`
 * processes. De-duplication is BullMQ's own (the job id is derived from
 * memberId and id), retries are BullMQ's attempts with exponential backoff
 * (https://docs.bullmq.io/guide/retrying-failing-jobs), dead jobs are failed
 * jobs kept forever, and fairness comes from per-tenant priorities (TenantBacklog).
 * `enqueue` resolves once Redis holds the job; that it outlives a Redis restart
 * is Redis's own persistence (`appendonly yes`), as for every BullMQ queue.
 */
export function bullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const policy = { ...DEFAULT_QUEUE_POLICY, ...options.policy };
  const prefix = options.prefix ?? "b24kit";
  const name = options.name ?? "jobs";
  const onError = options.onError ?? (() => {});
  const redis = openRedis(options.connection, {}, onError);
  const queue = new Queue<JobData>(name, { connection: redis, prefix });
  queue.on("error", onError);
  const backlog = new TenantBacklog(redis, `${prefix}:${name}`);
  const consumers = new Set<BullmqConsumer>();
  // Workers need maxRetriesPerRequest null (their blocking reads wait indefinitely); producers must not,
  // so that enqueue fails instead of hanging while Redis is down. BullMQ duplicates this template
  // for each worker (https://docs.bullmq.io/guide/going-to-production), so it never connects itself.
  let template: Redis | undefined;
  let closed = false;

  const whenOpen = () => {
    if (closed) throw new AppError("QUEUE_CLOSED", 500, "The job queue is closed");
  };

  /** Adds the job unless its id is taken; true when this call stored it. */
  async function add(job: NewJob): Promise<boolean> {
    const jobId = bullmqJobId(job.memberId, job.id);
    const claim = randomUUID();
    const priority = await backlog.add(job.memberId);
    let stored = false;
    try {
      await queue.add(
        job.kind,
        { memberId: job.memberId, id: job.id, payload: job.payload, claim },
        {
          jobId,
          priority,
          delay: Math.max(0, job.delayMs ?? 0),
          attempts: policy.maxAttempts,
          backoff: { type: "exponential", delay: policy.backoffMs },
          removeOnComplete: { age: Math.max(1, Math.ceil(policy.keepDoneMs / 1000)) },
          removeOnFail: false,
        },
      );
      // BullMQ answers a taken id with the existing job's id, like a new one: whose claim is stored tells.
      const data = await redis.hget(queue.toKey(jobId), "data");
      stored = data === null || (JSON.parse(data) as JobData).claim === claim;
      return stored;
    } finally {
      // Not stored (a duplicate, or Redis failed): give the count back; a failure here must not hide the first.
      if (!stored) await backlog.remove(job.memberId).catch(onError);
    }
  }

  return {
    async enqueue(job) {
      whenOpen();
      return add(job);
    },
    consume(run, consumeOptions = {}) {
      whenOpen();
      template ??= openRedis(options.connection, { maxRetriesPerRequest: null, lazyConnect: true }, onError);
      const consumer = startConsumer(run, {
        name,
        prefix,
        template,
        concurrency: consumeOptions.concurrency ?? 4,
        maxAttempts: policy.maxAttempts,
        lockDurationMs: options.lockDurationMs ?? 30_000,
        backlog,
        onError,
      });
      consumers.add(consumer);
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },
    async stats() {
      whenOpen();
      return queueStats(queue);
    },
    async deadLetters(filter = {}) {
      whenOpen();
      return deadJobs(queue, policy.maxAttempts, filter);
    },
    async retryDead(memberId, id) {
      whenOpen();
      const job = await queue.getJob(bullmqJobId(memberId, id));
      if (!job || (await job.getState()) !== "failed") return false;
      const priority = await backlog.add(memberId);
      try {
        // A fresh job for fairness too: it queues behind its tenant's current backlog.
        await job.changePriority({ priority });
        await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      } catch (error) {
        await backlog.remove(memberId).catch(onError);
        const code = (error as { code?: number }).code;
        // Another call revived (or removed) it first.
        if (code === ErrorCode.JobNotInState || code === ErrorCode.JobNotExist) return false;
        throw error;
      }
    },
    async ping() {
      whenOpen();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AppError("QUEUE_UNREACHABLE", 503, `Redis did not answer within ${PING_TIMEOUT_MS} ms`),
            ),
          PING_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([redis.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // Runs in flight are abandoned, not awaited: their jobs run again once their locks lapse.
      await Promise.all([...consumers].map((consumer) => consumer.abandon()));
      consumers.clear();
      await queue.close().catch(onError);
      redis.disconnect();
      template?.disconnect();
    },
  };
}
