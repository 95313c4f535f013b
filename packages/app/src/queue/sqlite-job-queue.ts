import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { startCheckpointer } from "../storage/sqlite-checkpointer.js";
import { openSqlite } from "../storage/sqlite-connection.js";
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
import { InsertBatch, type InsertResult, type PendingInsert } from "./sqlite/insert-batch.js";
import { JobRows, pendingInsert } from "./sqlite/job-rows.js";
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

/** The longest a finished job's done mark waits for a write to ride along with. */
const DONE_MARK_MAX_WAIT_MS = 100;

/**
 * The embedded profile's queue: one SQLite table, workers in this process.
 * Tenants are served round robin (the cursor walks member_ids), so one
 * portal's backlog never stands in front of another portal's new events.
 */
export function sqliteJobQueue(options: SqliteJobQueueOptions): JobQueue {
  mkdirSync(dirname(options.file), { recursive: true });
  const db = openSqlite(options.file);
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
  const inserts = new InsertBatch(commitInserts);
  let closed = false;
  // Done marks ride along with the next claim or insert; with neither, this writes them.
  let doneTimer: ReturnType<typeof setTimeout> | undefined;
  const markDone = (job: QueuedJob) => {
    rows.done(job, clock.now());
    doneTimer ??= setTimeout(() => {
      doneTimer = undefined;
      try {
        if (!closed) rows.flush();
      } catch {
        // The marks stay buffered: the next claim or insert writes them (or reports the failure).
      }
    }, DONE_MARK_MAX_WAIT_MS).unref();
  };

  const queue: JobQueue = {
    async enqueue(job: NewJob) {
      if (closed) throw new Error("The job queue is closed");
      return inserts.add(pendingInsert(job, clock.now()));
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
      inserts.flush();
      closed = true;
      if (doneTimer) clearTimeout(doneTimer);
      await Promise.all([...pools].map((pool) => pool.stop({ abandon: true })));
      pools.clear();
      rows.flush();
      db.close();
      await checkpointer.stop();
    },
  };

  /**
   * A batch of inserts. A job due now goes straight to an idle worker of this process, inserted
   * running under its lease in the same transaction: no claim of its own. A worker is idle only
   * when its last claim found nothing due, so nothing waits behind it (at most a retry that fell
   * due since, taken by the next claim); otherwise the job waits its turn (round robin).
   */
  function commitInserts(pending: PendingInsert[]): InsertResult[] {
    const takers = pending.map((row) => (row.runAt <= row.now ? idleWorker() : undefined));
    let results: InsertResult[];
    try {
      results = rows.insertMany(
        pending,
        takers.map((taker) => taker !== undefined),
      );
    } catch (error) {
      for (const taker of takers) taker?.(undefined);
      throw error;
    }
    results.forEach((result, i) => {
      const row = pending[i]!;
      const taker = takers[i];
      if (taker) taker(result === true ? rows.handedJob(row) : undefined);
      else if (result === true) for (const pool of pools) pool.wake(row.runAt);
    });
    return results;
  }

  function idleWorker(): ((job: QueuedJob | undefined) => void) | undefined {
    for (const pool of pools) {
      const taker = pool.reserveIdle();
      if (taker) return taker;
    }
    return undefined;
  }

  async function settle(job: QueuedJob, run: JobRunner): Promise<void> {
    try {
      const outcome = await run(job);
      if (closed) return;
      if (outcome && outcome.postponeMs > 0) rows.postpone(job, clock.now() + outcome.postponeMs);
      else markDone(job);
    } catch (error) {
      if (closed) return;
      const message = error instanceof Error ? error.message : String(error);
      rows.failed(job, clock.now(), message);
    }
  }

  return queue;
}
