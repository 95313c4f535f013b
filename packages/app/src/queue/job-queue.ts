import type { JsonValue } from "../options/json-value.js";

/**
 * The durable queue between the event ingress and the handlers, behind one
 * interface with two adapters: embedded (`@b24kit/app/sqlite`, a SQLite table
 * and in-process workers) and cluster (`@b24kit/app/bullmq`, BullMQ on Redis
 * and `b24kit worker` processes). Both pass one shared suite
 * (`describeJobQueue` in `@b24kit/app/testing`).
 *
 * Guarantees every adapter gives:
 * - `enqueue` resolves only once the job would survive the process being killed;
 * - a job id is an idempotency key per tenant: a second `enqueue` with the same
 *   (memberId, id) while the first is kept (pending, running, done within the
 *   retention, or dead) stores nothing and resolves false;
 * - at-least-once delivery: a job whose worker died runs again;
 * - a failed run is retried with exponential backoff (`backoffMs * 2^(attempt-1)`)
 *   up to `maxAttempts` runs, then the job is dead (kept, listed by `deadLetters`);
 * - a run may postpone its job (`{ postponeMs }`): it runs again later without
 *   using up an attempt (a throttled portal's jobs wait, no worker spins on them);
 * - tenants are served fairly: one portal's backlog does not hold back
 *   another portal's new jobs (round robin or equivalent).
 */
export interface JobQueue {
  enqueue(job: NewJob): Promise<boolean>;
  /** Starts `concurrency` workers in this process; `stop()` waits for runs in flight. */
  consume(run: JobRunner, options?: { concurrency?: number }): JobConsumer;
  stats(): Promise<QueueStats>;
  /** Dead jobs, newest first (one tenant's, or everyone's). */
  deadLetters(filter?: { memberId?: string; limit?: number }): Promise<QueuedJob[]>;
  /** Puts a dead job back as a fresh job (attempts from 0); false when there is no such dead job. */
  retryDead(memberId: string, id: string): Promise<boolean>;
  /** Throws when the queue's storage cannot be reached (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface NewJob {
  memberId: string;
  /** Idempotency key within the tenant (≤ 200 characters). */
  id: string;
  /** What the job is (`event`, `offline-drain`, …): the runner dispatches on it. */
  kind: string;
  payload: JsonValue;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
}

export interface QueuedJob {
  memberId: string;
  id: string;
  kind: string;
  payload: JsonValue;
  /** Runs that failed before this one (0 on the first run). */
  attemptsMade: number;
  maxAttempts: number;
  /** Unix ms when it was first enqueued. */
  enqueuedAt: number;
  /** The last failure's message (dead jobs, retries). */
  lastError?: string;
}

/** Resolve (optionally asking to run again later) = done; throw = a failed attempt. */
export type JobRunner = (job: QueuedJob) => Promise<undefined | { postponeMs: number }>;

export interface JobConsumer {
  stop(): Promise<void>;
}

export interface QueueStats {
  /** Jobs waiting or delayed (not running, not done, not dead). */
  waiting: number;
  running: number;
  dead: number;
  /** Age in ms of the oldest waiting job (0 when none). */
  oldestWaitingAgeMs: number;
}

export interface QueuePolicy {
  /** Runs per job before it is dead (default 5). */
  maxAttempts?: number;
  /** First retry delay; doubles on each further failure (default 1000 ms). */
  backoffMs?: number;
  /** How long done jobs are kept for de-duplication (default 3 days). */
  keepDoneMs?: number;
}

export const DEFAULT_QUEUE_POLICY: Required<QueuePolicy> = {
  maxAttempts: 5,
  backoffMs: 1000,
  keepDoneMs: 3 * 24 * 3600 * 1000,
};

/** The delay before run `attemptsMade + 1` after `attemptsMade` failures. */
export function backoffDelay(policy: Required<QueuePolicy>, attemptsMade: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}
