import { type Capabilities, parseCapabilities } from "../capabilities/capabilities.js";
import type { AppStore } from "../storage/app-store.js";
import type { StoredAuditEntry, TenantRecord } from "../storage/records.js";

/** What the console shows of one tenant: nothing secret (no token, no application_token, sealed or not). */
export interface TenantSummary {
  memberId: string;
  domain: string;
  state: TenantRecord["state"];
  stateReason?: string;
  appStatus?: string;
  scopes: string[];
  manifestVersion?: string;
  installedAt: number;
  updatedAt: number;
  /** From the capability probe (app.info LICENSE …), when it ran. */
  plan?: { license: string; type: string; family: string };
  probedAt?: number;
  capabilities?: Capabilities;
  /** When the access token expires (unix ms) and the row's version (refreshes so far + 1). */
  token?: { expiresAt: number; version: number };
  lastRefresh?: { at: number; outcome: StoredAuditEntry["outcome"]; errorCode?: string };
  lastActivity?: { at: number; kind: string; action: string; outcome: string };
}

/** The summary of one tenant from the store (four reads; no call to the portal). */
export async function tenantSummary(store: AppStore, record: TenantRecord): Promise<TenantSummary> {
  const tenant = store.tenant(record.memberId);
  const [capabilityRow, tokens, [latest], [refresh]] = await Promise.all([
    tenant.capabilities.get(),
    tenant.tokens.load(),
    tenant.audit.query({ limit: 1 }),
    tenant.audit.query({ kinds: ["oauth"], action: "refresh_token", limit: 1 }),
  ]);
  let capabilities: Capabilities | undefined;
  try {
    capabilities = capabilityRow ? parseCapabilities(capabilityRow.facts) : undefined;
  } catch {
    capabilities = undefined;
  }
  const errorCode = refresh?.detail?.errorCode;
  return {
    memberId: record.memberId,
    domain: record.domain,
    state: record.state,
    ...(record.stateReason ? { stateReason: record.stateReason } : {}),
    ...(record.appStatus ? { appStatus: record.appStatus } : {}),
    scopes: record.scopes,
    ...(record.manifestVersion ? { manifestVersion: record.manifestVersion } : {}),
    installedAt: record.installedAt,
    updatedAt: record.updatedAt,
    ...(capabilities?.license ? { plan: capabilities.license } : {}),
    ...(capabilities ? { probedAt: capabilities.probedAt, capabilities } : {}),
    ...(tokens ? { token: { expiresAt: tokens.expiresAt, version: tokens.version } } : {}),
    ...(refresh
      ? {
          lastRefresh: {
            at: refresh.at,
            outcome: refresh.outcome,
            ...(typeof errorCode === "string" ? { errorCode } : {}),
          },
        }
      : {}),
    ...(latest
      ? { lastActivity: { at: latest.at, kind: latest.kind, action: latest.action, outcome: latest.outcome } }
      : {}),
  };
}
