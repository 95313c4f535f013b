import { redact, redactUrl } from "@b24kit/rest";
import { type Kysely, PostgresAdapter, sql } from "kysely";
import type { AppDatabase } from "./database-schema.js";
import type { AuditActivity, AuditEntry, AuditQuery, StoredAuditEntry } from "./records.js";
import { auditFromRow, toNumber } from "./row-mapping.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/**
 * Writes one audit line. Writers redact already; the store redacts `detail`
 * and `action` once more on the way in, so a careless writer still cannot put
 * a token into the table.
 */
export async function appendAudit(
  db: Kysely<AppDatabase>,
  memberId: string,
  entry: Omit<AuditEntry, "memberId">,
): Promise<void> {
  await db.insertInto("b24kit_audit").values(auditRow(memberId, entry)).execute();
}

/** Rows per INSERT: 8 values each, far below SQLite's and PostgreSQL's limits on bound values. */
const ROWS_PER_INSERT = 200;

/**
 * Many lines, each under its own member_id, in one transaction that does not wait for the disk. An
 * audit line need not survive a power cut (the log observes the work, audit-log.ts), and waiting on
 * an fsync per group commit stalled the embedded profile's event loop about 50 times a second at
 * 1,000 events/s (bench/ingress). The rest of the store keeps its durability: PostgreSQL turns
 * synchronous_commit off for this transaction only; SQLite lowers `synchronous` to NORMAL on the
 * store's one connection, held for the whole scope so nothing else commits meanwhile, and puts the
 * store's level back after (a WAL commit at NORMAL is durable at the next synced commit or checkpoint).
 * https://www.postgresql.org/docs/current/wal-async-commit.html, https://www.sqlite.org/pragma.html#pragma_synchronous
 */
export async function appendAuditBatch(
  db: Kysely<AppDatabase>,
  entries: ReadonlyArray<AuditEntry>,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => auditRow(entry.memberId, entry));
  const insertAll = async (trx: Kysely<AppDatabase>) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await trx
        .insertInto("b24kit_audit")
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
  };
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit to off`.execute(trx);
      await insertAll(trx);
    });
    return;
  }
  await db.connection().execute(async (connection) => {
    const { rows: levels } = await sql<{ synchronous: number }>`pragma synchronous`.execute(connection);
    const level = levels[0]?.synchronous ?? 2;
    await sql`pragma synchronous = 1`.execute(connection);
    try {
      await connection.transaction().execute(insertAll);
    } finally {
      await sql.raw(`pragma synchronous = ${Number(level)}`).execute(connection);
    }
  });
}

function auditRow(memberId: string, entry: Omit<AuditEntry, "memberId">) {
  return {
    member_id: memberId,
    at: entry.at,
    kind: entry.kind,
    correlation_id: entry.correlationId,
    action: redactUrl(entry.action),
    outcome: entry.outcome,
    duration_ms: entry.durationMs ?? null,
    detail: entry.detail === undefined ? null : JSON.stringify(redact(entry.detail)),
  };
}

/** Audit lines newest first, of one tenant or (memberId undefined: operator views only) of all. */
export async function queryAudit(
  db: Kysely<AppDatabase>,
  memberId: string | undefined,
  filter: AuditQuery = {},
): Promise<StoredAuditEntry[]> {
  let query = db.selectFrom("b24kit_audit").selectAll();
  if (memberId !== undefined) query = query.where("member_id", "=", memberId);
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("at", "<", filter.until);
  if (filter.kinds?.length) query = query.where("kind", "in", filter.kinds);
  if (filter.correlationId !== undefined) query = query.where("correlation_id", "=", filter.correlationId);
  if (filter.action !== undefined) query = query.where("action", "=", filter.action);
  if (filter.errorCode !== undefined) {
    // detail is the JSON text the store wrote: the code as JSON.stringify writes it, found exactly
    // (case and all) with the dialect's substring search, so LIKE's wildcards in codes (`_`) mean nothing.
    const needle = JSON.stringify({ errorCode: filter.errorCode }).slice(1, -1);
    query = query.where(contains(db, "detail", needle));
  }
  const rows = await query
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(auditLimit(filter.limit))
    .execute();
  return rows.map(auditFromRow);
}

/** 100 by default, never more than 10,000, never negative. */
function auditLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 0), MAX_LIMIT);
}

/** Deletes lines older than `before` (unix ms) of every tenant; resolves how many went. */
export async function pruneAudit(db: Kysely<AppDatabase>, before: number): Promise<number> {
  const result = await db.deleteFrom("b24kit_audit").where("at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** `column` holds `needle` as a substring, exactly (strpos on PostgreSQL, instr on SQLite). */
function contains(db: Kysely<AppDatabase>, column: "detail", needle: string) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<boolean>`strpos(${sql.ref(column)}, ${needle}) > 0`
    : sql<boolean>`instr(${sql.ref(column)}, ${needle}) > 0`;
}

/** Each tenant's lines in the window, counted by what they were; tenants without lines are left out. */
export async function auditActivity(
  db: Kysely<AppDatabase>,
  filter: { since?: number; until?: number } = {},
): Promise<AuditActivity[]> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const deadLetter = JSON.stringify({ deadLetter: true }).slice(1, -1);
  const dead = isPostgres ? sql`strpos(detail, ${deadLetter}) > 0` : sql`instr(detail, ${deadLetter}) > 0`;
  const call = sql`kind = 'rest' and action not like 'retry %' and action not like 'rate-limit %'`;
  const count = (condition: ReturnType<typeof sql>) =>
    sql<number | string>`sum(case when ${condition} then 1 else 0 end)`;
  let query = db
    .selectFrom("b24kit_audit")
    .select([
      "member_id",
      sql<number | string>`count(*)`.as("lines"),
      sql<number | string>`max(at)`.as("last_at"),
      count(call).as("rest_calls"),
      count(sql`${call} and outcome = 'error'`).as("rest_errors"),
      count(sql`kind = 'rest' and action like 'rate-limit %'`).as("limit_waits"),
      count(sql`kind = 'event'`).as("event_failures"),
      count(sql`kind = 'event' and ${dead}`).as("dead_letters"),
      count(sql`kind = 'security'`).as("security"),
    ]);
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("at", "<", filter.until);
  const rows = await query.groupBy("member_id").orderBy("member_id").execute();
  return rows.map((row) => ({
    memberId: row.member_id,
    lines: toNumber(row.lines),
    lastAt: toNumber(row.last_at),
    restCalls: toNumber(row.rest_calls),
    restErrors: toNumber(row.rest_errors),
    limitWaits: toNumber(row.limit_waits),
    eventFailures: toNumber(row.event_failures),
    deadLetters: toNumber(row.dead_letters),
    security: toNumber(row.security),
  }));
}
