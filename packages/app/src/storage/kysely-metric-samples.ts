import type { Kysely } from "kysely";
import type { AppDatabase } from "./database-schema.js";
import type { MetricSample, MetricSampleQuery } from "./records.js";
import { toNumber } from "./row-mapping.js";

/** The app-wide rows: the runtime's metrics carry no tenant (see MetricSamplesTable). */
const APP_WIDE = "";
const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 10_000;

/** Stores one snapshot; a second one of the same instance at the same millisecond is ignored. */
export async function appendMetricSample(db: Kysely<AppDatabase>, sample: MetricSample): Promise<void> {
  const series: Record<string, number> = {};
  for (const [name, value] of Object.entries(sample.series)) if (Number.isFinite(value)) series[name] = value;
  await db
    .insertInto("b24kit_metric_samples")
    .values({
      member_id: APP_WIDE,
      instance: sample.instance,
      at: Math.round(sample.at),
      series: JSON.stringify(series),
    })
    .onConflict((oc) => oc.columns(["member_id", "instance", "at"]).doNothing())
    .execute();
}

/** Snapshots in the window, the newest `limit` of them, oldest first (as a chart reads them). */
export async function queryMetricSamples(
  db: Kysely<AppDatabase>,
  filter: MetricSampleQuery = {},
): Promise<MetricSample[]> {
  let query = db.selectFrom("b24kit_metric_samples").selectAll().where("member_id", "=", APP_WIDE);
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("at", "<", filter.until);
  const limit =
    filter.limit === undefined || Number.isNaN(filter.limit)
      ? DEFAULT_LIMIT
      : Math.min(Math.max(Math.floor(filter.limit), 0), MAX_LIMIT);
  const rows = await query.orderBy("at", "desc").orderBy("instance", "desc").limit(limit).execute();
  return rows.reverse().map((row) => ({
    at: toNumber(row.at),
    instance: row.instance,
    series: JSON.parse(row.series) as Record<string, number>,
  }));
}

/** Deletes snapshots older than `before` (unix ms); resolves how many went. */
export async function pruneMetricSamples(db: Kysely<AppDatabase>, before: number): Promise<number> {
  const result = await db.deleteFrom("b24kit_metric_samples").where("at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
