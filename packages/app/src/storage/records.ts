import type { TenantState } from "../tenants/tenant-state.js";

/** One portal that installed the app, keyed by its `member_id`. */
export interface TenantRecord {
  memberId: string;
  /** The portal's host (`acme.bitrix24.com`, `127.0.0.1:8481`); changes when the portal is renamed. */
  domain: string;
  /** REST base of the portal, `https://acme.bitrix24.com/rest/`. */
  clientEndpoint: string;
  /** The OAuth server's REST base, `https://oauth.bitrix.info/rest/`. */
  serverEndpoint: string;
  state: TenantState;
  /** Why the tenant is in its state (`refresh token rejected: invalid_grant`, `PORTAL_DELETED`, …). */
  stateReason?: string;
  /** The app's status on the portal as app.info/the install payload gives it: F, D, T, P, L, S. */
  appStatus?: string;
  /** Granted scopes, as the portal lists them. */
  scopes: string[];
  /** The manifest version applied last (binds done), so an update re-applies once. */
  manifestVersion?: string;
  /** Sealed (TokenCipher) `application_token`; compared in constant time on inbound requests. */
  sealedApplicationToken?: string;
  installedAt: number;
  updatedAt: number;
}

/** A tenant's OAuth tokens as stored: the secrets sealed with TokenCipher, `version` for compare-and-swap. */
export interface SealedTokens {
  sealedAccessToken: string;
  sealedRefreshToken: string;
  /** Unix ms. */
  expiresAt: number;
  userId?: number;
  scope?: string;
  version: number;
}

/** What the capability probe found on a portal (see capabilities/). */
export interface CapabilityRecord {
  probedAt: number;
  /** Free-form JSON the probe owns. */
  facts: Record<string, unknown>;
}

/** `operator`: what an operator did in the console (a probe re-run, a replay, a forced refresh, a login). */
export type AuditKind = "rest" | "inbound" | "oauth" | "lifecycle" | "security" | "event" | "operator";

/** One audit-log line: what happened for a tenant, already redacted. */
export interface AuditEntry {
  memberId: string;
  /** Unix ms. */
  at: number;
  kind: AuditKind;
  /** Ties together what one inbound request or job caused. */
  correlationId: string;
  /** `crm.deal.list`, `POST /b24/install`, `refresh`, … */
  action: string;
  outcome: "ok" | "error" | "rejected";
  durationMs?: number;
  /** Redacted details (status, error code, params summary); never a token. */
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export interface AuditQuery {
  /** Unix ms, inclusive. */
  since?: number;
  /** Unix ms, exclusive. */
  until?: number;
  /** Only these kinds (absent or empty: every kind). */
  kinds?: AuditKind[];
  correlationId?: string;
  /** Only lines with exactly this action (a REST method such as `crm.deal.get`, `POST /b24/events`, …). */
  action?: string;
  /** Only lines whose detail carries this `errorCode` (the portal's or the runtime's code, exact case). */
  errorCode?: string;
  /** Newest first, at most this many (default 100, max 10,000). */
  limit?: number;
}

/** One tenant's audit lines in a time window, counted (the console's per-portal table). */
export interface AuditActivity {
  memberId: string;
  /** Every line in the window. */
  lines: number;
  /** Unix ms of the newest line in the window. */
  lastAt: number;
  /** REST calls (`rest` lines that are neither a retry nor a limit wait). */
  restCalls: number;
  /** Of those, the ones that failed. */
  restErrors: number;
  /** Calls held back or refused for the portal's limits (`rate-limit <method>` lines). */
  limitWaits: number;
  /** Failed event runs (`event` lines), dead letters included. */
  eventFailures: number;
  /** Of those, the runs that made the job a dead letter. */
  deadLetters: number;
  /** Refused requests that looked like an attack (`security` lines). */
  security: number;
}

/**
 * A snapshot of the runtime's counters and gauges (the console draws its charts from these).
 * Each process writes its own (`instance`); counters grow within an instance.
 */
export interface MetricSample {
  /** Unix ms. */
  at: number;
  /** The writing process (a random id per runtime): rates are differences within one instance. */
  instance: string;
  /** Series name with its labels (`b24kit_rest_calls_total{method="crm.deal.get",outcome="ok"}`) → value. */
  series: Record<string, number>;
}

export interface MetricSampleQuery {
  /** Unix ms, inclusive. */
  since?: number;
  /** Unix ms, exclusive. */
  until?: number;
  /** At most this many, the newest (default 1,000, max 10,000); returned oldest first. */
  limit?: number;
}

/** One copy of an event, claiming its change (TenantStore.eventMatches). */
export interface EventCopy {
  /** The job carrying it: claiming again with the same job (a retry) gives the same answer. */
  jobId: string;
  /** The event's name and a digest of its data (events/event-matching.ts). */
  stream: string;
  source: "online" | "offline";
  /** The change's time, unix seconds. */
  second: number;
  /**
   * How far behind the POST's `ts` the offline row's time may be for the two to be one change:
   * an offline copy at T matches an online one at S when T ≤ S ≤ T + windowSeconds.
   */
  windowSeconds: number;
  /** Unix ms now (pruning). */
  at: number;
}
