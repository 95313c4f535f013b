import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { AdminStore, TenantStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import type { EventCopy } from "./records.js";
import { toNumber } from "./row-mapping.js";

type Outcome = "run" | "duplicate";

/** Claims of event copies (TenantStore.eventMatches): one transaction per claim. */
export function kyselyEventMatches(db: Kysely<AppDatabase>, memberId: string): TenantStore["eventMatches"] {
  return {
    claim: (copy) => db.transaction().execute((trx) => claimIn(trx, memberId, copy)),
  };
}

async function claimIn(trx: Transaction<AppDatabase>, memberId: string, copy: EventCopy): Promise<Outcome> {
  await lockStream(trx, memberId, copy.stream);
  const table = "b24kit_event_matches";
  const earlier = await trx
    .selectFrom(table)
    .select("outcome")
    .where("member_id", "=", memberId)
    .where("job_id", "=", copy.jobId)
    .executeTakeFirst();
  if (earlier) return earlier.outcome;
  // The POST leaves after the change, so its `ts` is at or after the offline row's time.
  const window = Math.max(0, Math.floor(copy.windowSeconds));
  const [from, to] =
    copy.source === "offline" ? [copy.second, copy.second + window] : [copy.second - window, copy.second];
  const other = await trx
    .selectFrom(table)
    .select("job_id")
    .where("member_id", "=", memberId)
    .where("stream", "=", copy.stream)
    .where("source", "!=", copy.source)
    .where("outcome", "=", "run")
    .where("matched", "=", 0)
    .where("second", ">=", from)
    .where("second", "<=", to)
    .orderBy(sql`abs(${sql.ref("second")} - ${copy.second})`)
    .orderBy("at")
    .limit(1)
    .executeTakeFirst();
  if (other)
    await trx
      .updateTable(table)
      .set({ matched: 1 })
      .where("member_id", "=", memberId)
      .where("job_id", "=", other.job_id)
      .execute();
  const outcome: Outcome = other ? "duplicate" : "run";
  await trx
    .insertInto(table)
    .values({
      member_id: memberId,
      job_id: copy.jobId,
      stream: copy.stream,
      source: copy.source,
      second: copy.second,
      outcome,
      matched: other ? 1 : 0,
      at: copy.at,
    })
    .execute();
  return outcome;
}

/**
 * Serialises claims on one stream. PostgreSQL: a transaction-scoped advisory lock
 * (many processes claim at once). SQLite: the store's one connection already runs
 * one transaction at a time, and the embedded profile is one process.
 */
async function lockStream(trx: Transaction<AppDatabase>, memberId: string, stream: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${memberId}\n${stream}`}, 0))`.execute(trx);
}

export function pruneEventMatches(
  db: Kysely<AppDatabase>,
  cutoffs: Parameters<AdminStore["pruneEventMatches"]>[0],
): Promise<number> {
  return db
    .deleteFrom("b24kit_event_matches")
    .where((eb) =>
      eb.or([
        eb("at", "<", cutoffs.before),
        eb.and([eb("matched", "=", 1), eb("at", "<", cutoffs.matchedBefore)]),
      ]),
    )
    .executeTakeFirst()
    .then((result) => toNumber(result.numDeletedRows));
}
