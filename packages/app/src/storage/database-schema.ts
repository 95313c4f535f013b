import type { ColumnType, Generated } from "kysely";

/**
 * The tables behind AppStore, as Kysely sees them. Names carry a `b24kit_`
 * prefix so they can share a database with the app's own tables. Every table
 * has `member_id`, the tenant key.
 *
 * PostgreSQL returns `bigint` columns as strings (pg's int8 parser), SQLite as
 * numbers: such columns are typed `number | string` on read, and row-mapping.ts
 * turns them back into numbers.
 */
export type Int8 = ColumnType<number | string, number, number>;

export interface TenantsTable {
  member_id: string;
  domain: string;
  client_endpoint: string;
  server_endpoint: string;
  state: string;
  state_reason: string | null;
  app_status: string | null;
  /** JSON array of strings. */
  scopes: string;
  manifest_version: string | null;
  sealed_application_token: string | null;
  installed_at: Int8;
  updated_at: Int8;
}

export interface TokensTable {
  member_id: string;
  sealed_access_token: string;
  sealed_refresh_token: string;
  expires_at: Int8;
  user_id: number | null;
  scope: string | null;
  version: number;
}

export interface CapabilitiesTable {
  member_id: string;
  probed_at: Int8;
  /** JSON object. */
  facts: string;
}

export interface KvTable {
  member_id: string;
  key: string;
  value: string;
}

export interface AuditTable {
  id: Generated<number | string>;
  member_id: string;
  at: Int8;
  kind: string;
  correlation_id: string;
  action: string;
  outcome: string;
  duration_ms: number | null;
  /** JSON object, already redacted. */
  detail: string | null;
}

/**
 * Metric snapshots (metrics/metrics-sampler.ts). The runtime's metrics carry no tenant, so its
 * rows are app-wide and have the empty member_id; the column keeps the rule that every table has one.
 */
export interface MetricSamplesTable {
  member_id: string;
  instance: string;
  at: Int8;
  /** JSON object: series → number. */
  series: string;
}

/**
 * Which copy of a change ran its handler (events/event-matching.ts): a change announced both
 * online (the POST) and offline (`event.offline.get`) runs once. One row per event job.
 */
export interface EventMatchesTable {
  member_id: string;
  job_id: string;
  /** The event's name and a digest of its data: copies of one change share it. */
  stream: string;
  source: "online" | "offline";
  /** The change's time in unix seconds (the POST's `ts`, the row's TIMESTAMP_X). */
  second: Int8;
  /** "run": its handler ran; "duplicate": the other copy had run. */
  outcome: "run" | "duplicate";
  /** 1 once a copy from the other source has been matched to this one. */
  matched: number;
  /** Unix ms of the claim (pruning). */
  at: Int8;
}

export interface AppDatabase {
  b24kit_tenants: TenantsTable;
  b24kit_tokens: TokensTable;
  b24kit_capabilities: CapabilitiesTable;
  b24kit_kv: KvTable;
  b24kit_audit: AuditTable;
  b24kit_metric_samples: MetricSamplesTable;
  b24kit_event_matches: EventMatchesTable;
}

/** Every table holding tenant rows: purge() empties each for the tenant. */
export const TENANT_TABLES = [
  "b24kit_tenants",
  "b24kit_tokens",
  "b24kit_capabilities",
  "b24kit_kv",
  "b24kit_audit",
  "b24kit_metric_samples",
  "b24kit_event_matches",
] as const satisfies ReadonlyArray<keyof AppDatabase>;
