import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { startCheckpointer } from "../storage/sqlite-checkpointer.js";
import {
  DEFAULT_QUEUE_POLICY,
  type JobConsumer,
  type JobQueue,
  type JobRunner,
  type NewJob,
  type QueuedJob,
  type QueuePolicy,
  type QueueStats,
} from "./job-queue.js";
import { JobRows } from "./sqlite/job-rows.js";
import { WorkerPool } from "./worker-pool.js";

export interface SqliteJobQueueOptions {
  /** The queue's own SQLite file (created with its folder), apart from the store so that writes never wait on each other. */
  file: string;
  policy?: QueuePolicy;
  /**
   * `normal` (default): a job is on disk before `enqueue` resolves and survives the process being
   * killed; a power cut may lose the last moments. `full`: it survives a power cut too, at the
   * cost of an fsync per event (https://www.sqlite.org/pragma.html#pragma_synchronous).
   */
  synchronous?: "normal" | "full";
  /** How long a running job is held before another worker may take it (default 5 minutes). */
  leaseMs?: number;
  clock?: { now(): number };
}

/**
 * The embedded profile's queue: one SQLite table, workers in this process.
 * Tenants are served round robin (the cursor walks member_ids), so one
 * portal's backlog never stands in front of another portal's new events.
 */
export function sqliteJobQueue(options: SqliteJobQueueOptions): JobQueue {
  mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(options.file);
  const policy = { ...DEFAULT_QUEUE_POLICY, ...options.policy };
  const clock = options.clock ?? { now: () => Date.now() };
  const rows = new JobRows(db, { leaseMs: options.leaseMs ?? 5 * 60_000, policy });
  // The embedded profile has one process: jobs it was running when it died run again (at least once).
  rows.reclaimRunning();
  rows.pruneDone(clock.now());
  const pools = new Set<WorkerPool>();
  let closed = false;

  const queue: JobQueue = {
    async enqueue(job: NewJob) {
      const now = clock.now();
      const added = rows.insert(job, now);
      if (added) for (const pool of pools) pool.wake(now + (job.delayMs ?? 0));
      return added;
    },
    consume(run: JobRunner, consumeOptions = {}): JobConsumer {
      const pool = new WorkerPool({
        concurrency: consumeOptions.concurrency ?? 4,
        clock,
        claim: () => rows.claim(clock.now()),
        nextRunAt: () => rows.nextRunAt(),
        run: async (job) => settle(job, run),
      });
      pools.add(pool);
      pool.start();
      return {
        async stop() {
          pools.delete(pool);
          await pool.stop();
          rows.flush();
        },
      };
    },
    async stats(): Promise<QueueStats> {
      return rows.stats(clock.now());
    },
    async deadLetters(filter = {}) {
      return rows.dead(filter);
    },
    async retryDead(memberId, id) {
      const revived = rows.revive(memberId, id, clock.now());
      if (revived) for (const pool of pools) pool.wake(clock.now());
      return revived;
    },
    async ping() {
      if (closed) throw new Error("The job queue is closed");
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...pools].map((pool) => pool.stop({ abandon: true })));
      pools.clear();
      rows.flush();
      db.close();
      await checkpointer.stop();
    },
  };

  async function settle(job: QueuedJob, run: JobRunner): Promise<void> {
    try {
      const outcome = await run(job);
      if (closed) return;
      if (outcome && outcome.postponeMs > 0) rows.postpone(job, clock.now() + outcome.postponeMs);
      else rows.done(job, clock.now());
    } catch (error) {
      if (closed) return;
      const message = error instanceof Error ? error.message : String(error);
      rows.failed(job, clock.now(), message);
    }
  }

  return queue;
}
