import type {
  AuditActivity,
  AuditEntry,
  AuditQuery,
  CapabilityRecord,
  EventCopy,
  MetricSample,
  MetricSampleQuery,
  SealedTokens,
  StoredAuditEntry,
  TenantRecord,
} from "./records.js";

/**
 * Everything the runtime keeps, behind one interface with an adapter per
 * database (`@b24kit/app/sqlite`, `@b24kit/app/postgres`). Every call that
 * touches a tenant's rows goes through `tenant(memberId)`, so a query without
 * a tenant cannot be written. Every adapter passes the shared conformance suite
 * (`describeAppStore` in `@b24kit/app/testing`).
 */
export interface AppStore {
  tenant(memberId: string): TenantStore;
  /** Operator views across tenants (console, `b24kit logs` without a tenant, retention). */
  readonly admin: AdminStore;
  /**
   * Creates or upgrades the schema (idempotent; also `b24kit migrate`);
   * resolves the names of the migrations applied by this call (empty: it was up to date).
   */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface TenantStore {
  readonly memberId: string;
  get(): Promise<TenantRecord | undefined>;
  /** Inserts or replaces the tenant's record (memberId is the store's, whatever `record` says). */
  put(record: Omit<TenantRecord, "memberId">): Promise<TenantRecord>;
  /**
   * Changes the record only if it is still in one of `fromStates` (a guarded
   * transition, one statement); resolves undefined, changing nothing, when it
   * is not, when `fromStates` is empty, or when there is no record. Keys absent
   * from `patch` stay as they are; an optional key present with the value
   * undefined is cleared. `updatedAt` changes only when the patch sets it.
   */
  update(
    patch: Partial<Omit<TenantRecord, "memberId" | "installedAt">>,
    fromStates?: ReadonlyArray<TenantRecord["state"]>,
  ): Promise<TenantRecord | undefined>;
  readonly tokens: {
    load(): Promise<SealedTokens | undefined>;
    /**
     * Compare-and-swap: writes only if the stored version is `expectedVersion`
     * (0: none stored) and resolves the row with version `expectedVersion + 1`;
     * resolves undefined, writing nothing, when another writer got there first.
     */
    save(tokens: Omit<SealedTokens, "version">, expectedVersion: number): Promise<SealedTokens | undefined>;
    delete(): Promise<void>;
  };
  readonly capabilities: {
    get(): Promise<CapabilityRecord | undefined>;
    put(record: CapabilityRecord): Promise<void>;
  };
  /** The app's own per-tenant key-value data (values of any size the database takes). */
  readonly kv: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
    delete(key: string): Promise<boolean>;
    /** Keys starting with `prefix`, in key order. */
    keys(prefix?: string): Promise<string[]>;
  };
  /**
   * Copies of one change arrive twice (online and offline): the first copy to claim its
   * change runs; the other copy, found within the window and not matched yet, is a
   * duplicate. Atomic across processes; a second claim by the same job gives the first answer.
   */
  readonly eventMatches: {
    claim(copy: EventCopy): Promise<"run" | "duplicate">;
  };
  readonly audit: {
    /** Appends one line; `detail` and `action` are redacted (again) on the way in. */
    append(entry: Omit<AuditEntry, "memberId">): Promise<void>;
    query(filter?: AuditQuery): Promise<StoredAuditEntry[]>;
  };
  /** Deletes every row of the tenant in every table (uninstall with CLEAN=Y). */
  purge(): Promise<void>;
}

export interface AdminStore {
  /** Every tenant (in the given states; absent or empty: all), by member_id. */
  tenants(filter?: { states?: ReadonlyArray<TenantRecord["state"]> }): Promise<TenantRecord[]>;
  /** Audit lines of every tenant, newest first. */
  audit(filter?: AuditQuery): Promise<StoredAuditEntry[]>;
  /**
   * Appends lines of several tenants at once, each under the member_id it carries, in one
   * transaction (the audit log's group commit: one disk sync for many lines). Redacted on the
   * way in as `tenant().audit.append` is.
   */
  appendAudit(entries: ReadonlyArray<AuditEntry>): Promise<void>;
  /** Deletes audit lines older than `before` (unix ms); resolves how many went. */
  pruneAudit(before: number): Promise<number>;
  /** Each tenant's audit lines in the window (since inclusive, until exclusive), counted; by member_id. */
  auditActivity(filter?: { since?: number; until?: number }): Promise<AuditActivity[]>;
  /** Stores one metrics snapshot (the sampler's); the same instance and time twice keeps the first. */
  appendMetricSample(sample: MetricSample): Promise<void>;
  /** Snapshots in the window (since inclusive, until exclusive): the newest `limit`, oldest first. */
  metricSamples(filter?: MetricSampleQuery): Promise<MetricSample[]>;
  /** Deletes snapshots older than `before` (unix ms); resolves how many went. */
  pruneMetricSamples(before: number): Promise<number>;
  /**
   * Forgets event claims made before `before` (unix ms), and matched pairs (both copies
   * seen) made before `matchedBefore`; resolves how many went.
   */
  pruneEventMatches(cutoffs: { before: number; matchedBefore: number }): Promise<number>;
}
