import { randomBytes } from "node:crypto";
import type { AppStore, TenantStore } from "../app-store.js";
import type { AuditEntry, SealedTokens, TenantRecord } from "../records.js";

/**
 * Makes a new, empty store for one check (a temp SQLite file, a fresh
 * PostgreSQL schema, …). The suite migrates it and closes it afterwards.
 */
export type AppStoreFactory = () => AppStore | Promise<AppStore>;

/** Fails a conformance check with a message that says what the adapter did wrong. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`conformance: ${message}`);
}

export function sameJson(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${message}\n  expected ${e}\n  got      ${a}`);
}

/** Runs `fn` on a freshly made and migrated store, closing it whatever happens. */
export async function withStore(
  make: AppStoreFactory,
  fn: (store: AppStore) => Promise<void>,
): Promise<void> {
  const store = await make();
  try {
    await store.migrate();
    await fn(store);
  } finally {
    await store.close();
  }
}

/** A member_id like the portals' own (32 lower-case hex digits). */
export function memberId(): string {
  return randomBytes(16).toString("hex");
}

/** A full tenant record, every optional field set. */
export function tenantRecord(
  overrides: Partial<Omit<TenantRecord, "memberId">> = {},
): Omit<TenantRecord, "memberId"> {
  return {
    domain: "acme.bitrix24.com",
    clientEndpoint: "https://acme.bitrix24.com/rest/",
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    state: "installing",
    stateReason: "install started",
    appStatus: "L",
    scopes: ["crm", "user", "placement"],
    manifestVersion: "3",
    sealedApplicationToken: "v1.k1.sealed-application-token",
    installedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_500,
    ...overrides,
  };
}

export function sealedTokens(n: number): Omit<SealedTokens, "version"> {
  return {
    sealedAccessToken: `v1.k1.access-${n}`,
    sealedRefreshToken: `v1.k1.refresh-${n}`,
    expiresAt: 1_900_000_000_000 + n,
    userId: 7,
    scope: "crm,user",
  };
}

export function auditEntry(
  overrides: Partial<Omit<AuditEntry, "memberId">> = {},
): Omit<AuditEntry, "memberId"> {
  return {
    at: 1_800_000_000_000,
    kind: "rest",
    correlationId: "corr-1",
    action: "crm.deal.list",
    outcome: "ok",
    durationMs: 42,
    detail: { status: 200, total: 3 },
    ...overrides,
  };
}

/** Everything a tenant has in the store, for before/after comparisons. */
export async function snapshot(tenant: TenantStore): Promise<string> {
  const keys = await tenant.kv.keys();
  const kv = await Promise.all(keys.map(async (key) => [key, await tenant.kv.get(key)]));
  return JSON.stringify({
    record: (await tenant.get()) ?? null,
    tokens: (await tenant.tokens.load()) ?? null,
    capabilities: (await tenant.capabilities.get()) ?? null,
    kv,
    audit: await tenant.audit.query({ limit: 10_000 }),
  });
}

/** Fills every table for the tenant. */
export async function populate(tenant: TenantStore, label: string): Promise<void> {
  await tenant.put(tenantRecord({ domain: `${label}.bitrix24.com`, state: "active" }));
  await tenant.tokens.save({ ...sealedTokens(0), sealedAccessToken: `v1.k1.access-${label}` }, 0);
  await tenant.capabilities.put({ probedAt: 1_800_000_000_000, facts: { label } });
  await tenant.kv.set("shared-key", `${label} value`);
  await tenant.kv.set(`only-${label}`, label);
  await tenant.audit.append(auditEntry({ correlationId: `corr-${label}`, action: `action-${label}` }));
}
