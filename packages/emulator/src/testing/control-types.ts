import type { ModuleId, PlanId } from "../state/plans.js";

/** A portal as the control API describes it (the ready line's shape). */
export interface PortalInfo {
  memberId: string;
  /** `host:port` of the portal. */
  domain: string;
  plan: PlanId;
  /** The REST base for OAuth calls, `https://host:port/rest/`. */
  clientEndpoint: string;
  /** An incoming webhook of the admin (user 1) with every scope. */
  adminWebhookUrl: string;
}

export interface PortalInput {
  plan?: PlanId;
  modules?: ModuleId[];
  users?: Array<Record<string, unknown>>;
}

/** `PATCH portals/{m}`: what a test may change (see the README's control API). */
export interface PortalPatch {
  plan?: PlanId;
  modules?: ModuleId[];
  features?: Record<string, boolean>;
  operatingLimitSeconds?: number;
  bucket?: { burst: number; drainPerSecond: number } | null;
  latency?: Record<string, { baseMs?: number; perRowMs?: number; perScannedRowMs?: number }>;
  requestLatencyMs?: number;
  uiUserId?: number;
}

/** The OAuth data a portal hands an app (install, ONAPPINSTALL `auth`, a frame's tokens). */
export interface AuthData {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  domain: string;
  server_endpoint: string;
  client_endpoint: string;
  member_id: string;
  user_id: number;
  status: string;
  application_token: string;
}

/** An app as a vendor registers it (`POST apps`). */
export interface AppRegistration {
  scopes: string[] | string;
  /** The app's main page (its installer too, unless `installUrl` is given). */
  appUrl?: string;
  installUrl?: string;
  name?: string;
  code?: string;
  /** `false` (default true): a marketplace app that can be installed on other portals. */
  local?: boolean;
  [more: string]: unknown;
}

export interface Installation {
  installed: boolean;
  applicationToken: string;
  scopes: string[];
  events: Array<Record<string, unknown>>;
  placements: Array<Record<string, unknown>>;
  options: Record<string, unknown>;
}

/** A registered and installed app: what the portal handed it, as `auth`. */
export interface InstalledApp extends Installation {
  clientId: string;
  clientSecret: string;
  auth: AuthData;
}

/** The request the portal sends when a user opens a placement (form fields, §2.2). */
export interface PlacementRequest {
  url: string;
  method: "POST" | "GET";
  /** AUTH_ID, REFRESH_ID, AUTH_EXPIRES, member_id, status, PLACEMENT, PLACEMENT_OPTIONS, … */
  fields: Record<string, string>;
  title: string;
}

export interface PortalStats {
  total: number;
  byMethod: Record<string, number>;
  errors: Record<string, number>;
  rowsScanned: number;
  rowsScannedByMethod: Record<string, number>;
}

export interface Fault {
  method?: string;
  count?: number;
  status?: number;
  error?: string;
  description?: string;
  latencyMs?: number;
  drop?: boolean;
}
