import type { Insertable, Selectable, Updateable } from "kysely";
import type { TenantState } from "../tenants/tenant-state.js";
import type { AuditTable, TenantsTable, TokensTable } from "./database-schema.js";
import type { AuditKind, SealedTokens, StoredAuditEntry, TenantRecord } from "./records.js";

/** pg hands int8 over as a string (research/stack.md trap 11); every count and time here fits a double. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === "number" ? value : Number(value);
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function tenantFromRow(row: Selectable<TenantsTable>): TenantRecord {
  return withoutUndefined({
    memberId: row.member_id,
    domain: row.domain,
    clientEndpoint: row.client_endpoint,
    serverEndpoint: row.server_endpoint,
    state: row.state as TenantState,
    stateReason: orUndefined(row.state_reason),
    appStatus: orUndefined(row.app_status),
    scopes: JSON.parse(row.scopes) as string[],
    manifestVersion: orUndefined(row.manifest_version),
    sealedApplicationToken: orUndefined(row.sealed_application_token),
    installedAt: toNumber(row.installed_at),
    updatedAt: toNumber(row.updated_at),
  });
}

type TenantPatch = Partial<Omit<TenantRecord, "memberId" | "installedAt">>;

/** The whole row for `put` (a replace: optional fields left out become NULL). */
export function tenantRow(
  memberId: string,
  record: Omit<TenantRecord, "memberId">,
): Insertable<TenantsTable> {
  return {
    member_id: memberId,
    domain: record.domain,
    client_endpoint: record.clientEndpoint,
    server_endpoint: record.serverEndpoint,
    state: record.state,
    state_reason: record.stateReason ?? null,
    app_status: record.appStatus ?? null,
    scopes: JSON.stringify(record.scopes),
    manifest_version: record.manifestVersion ?? null,
    sealed_application_token: record.sealedApplicationToken ?? null,
    installed_at: record.installedAt,
    updated_at: record.updatedAt,
  };
}

/**
 * The columns a patch sets. A key present with the value undefined clears an
 * optional field (NULL); absent keys are left alone.
 */
export function tenantColumns(patch: TenantPatch): Updateable<TenantsTable> {
  const columns: Updateable<TenantsTable> = {};
  const has = (key: keyof TenantPatch) => Object.hasOwn(patch, key);
  if (has("domain") && patch.domain !== undefined) columns.domain = patch.domain;
  if (has("clientEndpoint") && patch.clientEndpoint !== undefined)
    columns.client_endpoint = patch.clientEndpoint;
  if (has("serverEndpoint") && patch.serverEndpoint !== undefined)
    columns.server_endpoint = patch.serverEndpoint;
  if (has("state") && patch.state !== undefined) columns.state = patch.state;
  if (has("stateReason")) columns.state_reason = patch.stateReason ?? null;
  if (has("appStatus")) columns.app_status = patch.appStatus ?? null;
  if (has("scopes") && patch.scopes !== undefined) columns.scopes = JSON.stringify(patch.scopes);
  if (has("manifestVersion")) columns.manifest_version = patch.manifestVersion ?? null;
  if (has("sealedApplicationToken")) columns.sealed_application_token = patch.sealedApplicationToken ?? null;
  if (has("updatedAt") && patch.updatedAt !== undefined) columns.updated_at = patch.updatedAt;
  return columns;
}

export function tokensFromRow(row: Selectable<TokensTable>): SealedTokens {
  return withoutUndefined({
    sealedAccessToken: row.sealed_access_token,
    sealedRefreshToken: row.sealed_refresh_token,
    expiresAt: toNumber(row.expires_at),
    userId: orUndefined(row.user_id),
    scope: orUndefined(row.scope),
    version: row.version,
  });
}

export function auditFromRow(row: Selectable<AuditTable>): StoredAuditEntry {
  return withoutUndefined({
    id: toNumber(row.id),
    memberId: row.member_id,
    at: toNumber(row.at),
    kind: row.kind as AuditKind,
    correlationId: row.correlation_id,
    action: row.action,
    outcome: row.outcome as StoredAuditEntry["outcome"],
    durationMs: orUndefined(row.duration_ms),
    detail: row.detail === null ? undefined : (JSON.parse(row.detail) as Record<string, unknown>),
  });
}

/** Records carry no `key: undefined` entries, so they compare equal to what was written. */
function withoutUndefined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as Array<keyof T>) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}
