import type { JsonValue } from "../../options/json-value.js";
import type { SqliteConnection, SqliteStatement } from "../../storage/sqlite-connection.js";
import {
  backoffDelay,
  type NewJob,
  type QueuedJob,
  type QueuePolicy,
  type QueueStats,
} from "../job-queue.js";
import type { InsertResult, PendingInsert } from "./insert-batch.js";

interface JobRow {
  member_id: string;
  id: string;
  kind: string;
  payload: string;
  attempts_made: number;
  enqueued_at: number;
  last_error: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS b24kit_jobs (
  member_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  run_at INTEGER NOT NULL,
  attempts_made INTEGER NOT NULL DEFAULT 0,
  enqueued_at INTEGER NOT NULL,
  lease_until INTEGER,
  finished_at INTEGER,
  last_error TEXT,
  PRIMARY KEY (member_id, id)
);
CREATE INDEX IF NOT EXISTS b24kit_jobs_due ON b24kit_jobs (state, member_id, run_at);
-- One index besides the key: every state change rewrites its entries. Pruning and the idle
-- look-up of the next due time scan the (state …) prefix instead.
`;

/**
 * The job table's statements (states: waiting, running, done, dead). Every
 * call is one synchronous statement or transaction, so two workers of this
 * process can never claim the same job.
 */
export class JobRows {
  readonly #policy: Required<QueuePolicy>;
  readonly #leaseMs: number;
  /** The member_id served last: the next claim starts after it (round robin over tenants). */
  #cursor = "";
  readonly #insert: SqliteStatement;
  readonly #insertRunning: SqliteStatement;
  readonly #nextAfter: SqliteStatement;
  readonly #take: SqliteStatement;
  readonly #expiredLease: SqliteStatement;
  readonly #minRunAt: SqliteStatement;
  readonly #done: SqliteStatement;
  readonly #postpone: SqliteStatement;
  readonly #failed: SqliteStatement;
  readonly #claim: (now: number) => QueuedJob | undefined;
  readonly #insertMany: (rows: PendingInsert[], running: boolean[]) => InsertResult[];
  /** Leases are swept at most this often: a claim need not look for expired ones every time. */
  #nextSweepAt = 0;
  /**
   * Jobs done but not yet marked: the mark rides along with the next write — a claim that takes a
   * job, or a batch of inserts — instead of a commit of its own (sqliteJobQueue bounds the wait).
   * A crash before it is written runs the job again: at least once.
   */
  #doneBuffer: Array<{ memberId: string; id: string; at: number }> = [];
  readonly #flushDone: () => void;

  constructor(
    private readonly db: SqliteConnection,
    options: { leaseMs: number; policy: Required<QueuePolicy> },
  ) {
    this.#policy = options.policy;
    this.#leaseMs = options.leaseMs;
    db.exec(SCHEMA);
    this.#insert = db.prepare(
      `INSERT INTO b24kit_jobs (member_id, id, kind, payload, state, run_at, enqueued_at)
       VALUES (?, ?, ?, ?, 'waiting', ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.#insertRunning = db.prepare(
      `INSERT INTO b24kit_jobs (member_id, id, kind, payload, state, run_at, enqueued_at, lease_until)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.#nextAfter = db.prepare(
      `SELECT member_id, id, kind, payload, attempts_made, enqueued_at, last_error FROM b24kit_jobs
       WHERE state = 'waiting' AND member_id > ? AND run_at <= ? ORDER BY member_id, run_at LIMIT 1`,
    );
    this.#take = db.prepare(
      `UPDATE b24kit_jobs SET state = 'running', lease_until = ? WHERE member_id = ? AND id = ? AND state = 'waiting'`,
    );
    this.#expiredLease = db.prepare(
      `UPDATE b24kit_jobs SET state = 'waiting', lease_until = NULL WHERE state = 'running' AND lease_until < ?`,
    );
    this.#minRunAt = db.prepare(`SELECT MIN(run_at) AS at FROM b24kit_jobs WHERE state = 'waiting'`);
    this.#done = db.prepare(
      `UPDATE b24kit_jobs SET state = 'done', payload = 'null', finished_at = ?, lease_until = NULL
       WHERE member_id = ? AND id = ?`,
    );
    this.#postpone = db.prepare(
      `UPDATE b24kit_jobs SET state = 'waiting', run_at = ?, lease_until = NULL WHERE member_id = ? AND id = ?`,
    );
    this.#failed = db.prepare(
      `UPDATE b24kit_jobs SET state = ?, attempts_made = ?, run_at = ?, last_error = ?, lease_until = NULL,
       finished_at = ? WHERE member_id = ? AND id = ?`,
    );
    this.#flushDone = db.transaction(() => this.#writeDoneMarks());
    // A row's own failure (a constraint) undoes only its statement; the others still commit.
    this.#insertMany = db.transaction((rows: PendingInsert[], running: boolean[]) => {
      this.#writeDoneMarks();
      return rows.map((row, i): InsertResult => {
        try {
          const { memberId, id, kind, payload, runAt, now } = row;
          const result = running[i]
            ? this.#insertRunning.run(memberId, id, kind, payload, runAt, now, now + this.#leaseMs)
            : this.#insert.run(memberId, id, kind, payload, runAt, now);
          return result.changes === 1;
        } catch (error) {
          return { error };
        }
      });
    });
    // A claim that finds nothing writes nothing (the done marks wait): an idle look stays a read.
    this.#claim = db.transaction((now: number) => {
      if (now >= this.#nextSweepAt) {
        this.#expiredLease.run(now);
        this.#nextSweepAt = now + Math.min(this.#leaseMs, 10_000);
      }
      const row = (this.#nextAfter.get(this.#cursor, now) ?? this.#nextAfter.get("", now)) as
        | JobRow
        | undefined;
      if (!row) return undefined;
      this.#writeDoneMarks();
      this.#cursor = row.member_id;
      this.#take.run(now + this.#leaseMs, row.member_id, row.id);
      return this.#toJob(row);
    });
  }

  /**
   * Inserts the rows in one transaction: per row, added (true), already there (false) or its error.
   * Rows flagged in `running` go in taken, under a lease, as a claim would leave them (`handedJob`).
   */
  insertMany(rows: PendingInsert[], running: boolean[] = []): InsertResult[] {
    return this.#insertMany(rows, running);
  }

  /** The job of a row inserted running, as a claim would have returned it. */
  handedJob(row: PendingInsert): QueuedJob {
    return {
      memberId: row.memberId,
      id: row.id,
      kind: row.kind,
      payload: JSON.parse(row.payload) as JsonValue,
      attemptsMade: 0,
      maxAttempts: this.#policy.maxAttempts,
      enqueuedAt: row.now,
    };
  }

  /** The next due job, round robin over tenants, marked running under a lease. */
  claim(now: number): QueuedJob | undefined {
    return this.#claim(now);
  }

  nextRunAt(): number | undefined {
    const row = this.#minRunAt.get() as { at: number | null };
    return row.at ?? undefined;
  }

  /** Marks the job done with the next write (or `flush`); the row stays as the idempotency key, its payload dropped. */
  done(job: QueuedJob, now: number): void {
    this.#doneBuffer.push({ memberId: job.memberId, id: job.id, at: now });
  }

  /** Writes the done marks still waiting (stop, close, reads that must see them, the wait's bound). */
  flush(): void {
    if (this.#doneBuffer.length > 0) this.#flushDone();
  }

  /** The buffered done marks, inside the caller's transaction (the driver's transactions do not nest). */
  #writeDoneMarks(): void {
    for (const job of this.#doneBuffer) this.#done.run(job.at, job.memberId, job.id);
    this.#doneBuffer = [];
  }

  postpone(job: QueuedJob, runAt: number): void {
    this.#postpone.run(runAt, job.memberId, job.id);
  }

  failed(job: QueuedJob, now: number, message: string): void {
    const attempts = job.attemptsMade + 1;
    const dead = attempts >= this.#policy.maxAttempts;
    this.#failed.run(
      dead ? "dead" : "waiting",
      attempts,
      now + backoffDelay(this.#policy, attempts),
      message.slice(0, 2000),
      dead ? now : null,
      job.memberId,
      job.id,
    );
  }

  revive(memberId: string, id: string, now: number): boolean {
    this.flush();
    const result = this.db
      .prepare(
        `UPDATE b24kit_jobs SET state = 'waiting', attempts_made = 0, run_at = ?, finished_at = NULL
         WHERE member_id = ? AND id = ? AND state = 'dead'`,
      )
      .run(now, memberId, id);
    return result.changes === 1;
  }

  dead(filter: { memberId?: string; limit?: number }): QueuedJob[] {
    this.flush();
    const limit = Math.min(Math.max(1, filter.limit ?? 100), 1000);
    const rows = (
      filter.memberId
        ? this.db
            .prepare(
              `SELECT * FROM b24kit_jobs WHERE state = 'dead' AND member_id = ? ORDER BY finished_at DESC LIMIT ?`,
            )
            .all(filter.memberId, limit)
        : this.db
            .prepare(`SELECT * FROM b24kit_jobs WHERE state = 'dead' ORDER BY finished_at DESC LIMIT ?`)
            .all(limit)
    ) as JobRow[];
    return rows.map((row) => this.#toJob(row));
  }

  stats(now: number): QueueStats {
    this.flush();
    const counts = this.db
      .prepare(`SELECT state, COUNT(*) AS n FROM b24kit_jobs GROUP BY state`)
      .all() as Array<{
      state: string;
      n: number;
    }>;
    const count = (state: string) => counts.find((c) => c.state === state)?.n ?? 0;
    const oldest = this.db
      .prepare(`SELECT MIN(enqueued_at) AS at FROM b24kit_jobs WHERE state = 'waiting'`)
      .get() as { at: number | null };
    return {
      waiting: count("waiting"),
      running: count("running"),
      dead: count("dead"),
      oldestWaitingAgeMs: oldest.at === null ? 0 : Math.max(0, now - oldest.at),
    };
  }

  /** Jobs left running by a process that died: due again now. */
  reclaimRunning(): void {
    this.db
      .prepare(`UPDATE b24kit_jobs SET state = 'waiting', lease_until = NULL WHERE state = 'running'`)
      .run();
  }

  pruneDone(now: number): void {
    this.db
      .prepare(`DELETE FROM b24kit_jobs WHERE state = 'done' AND finished_at < ?`)
      .run(now - this.#policy.keepDoneMs);
  }

  #toJob(row: JobRow): QueuedJob {
    return {
      memberId: row.member_id,
      id: row.id,
      kind: row.kind,
      payload: JSON.parse(row.payload) as JsonValue,
      attemptsMade: row.attempts_made,
      maxAttempts: this.#policy.maxAttempts,
      enqueuedAt: row.enqueued_at,
      ...(row.last_error ? { lastError: row.last_error } : {}),
    };
  }
}

/** The row for a job (the payload serialised here: a payload that cannot be fails its own enqueue). */
export function pendingInsert(job: NewJob, now: number): PendingInsert {
  return {
    memberId: job.memberId,
    id: job.id,
    kind: job.kind,
    payload: JSON.stringify(job.payload),
    runAt: now + Math.max(0, job.delayMs ?? 0),
    now,
  };
}
