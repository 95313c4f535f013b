import type { B24Client } from "@b24kit/rest";
import type { GuardedClient } from "../capabilities/guarded-call.js";
import type { PortalUser } from "../inbound/portal-check.js";
import type { PortalOptions } from "../options/portal-options.js";
import type { TenantKv } from "../options/tenant-kv.js";
import type { TenantRecord } from "../storage/records.js";

/** A frame the portal opened: the app page (placement DEFAULT) or a placement, verified. */
export interface FrameContext {
  tenant: TenantRecord;
  /** The portal user who opened it (from the portal itself, not from the request). */
  user: PortalUser;
  placement: string;
  /** PLACEMENT_OPTIONS (the CRM card's ID, …). */
  options: Record<string, unknown>;
  lang: string;
  /**
   * REST as the app on this portal (the installing admin's stored tokens, renewed by the runtime),
   * guarded: a method the portal lacks fails with MissingCapabilityError, never an unhandled 403.
   */
  b24: GuardedClient;
  /** The same tenant client unguarded, for batch, REST 3.0 and the rest of `B24Client`. */
  client: B24Client;
  /**
   * REST as the user who opened the frame (their AUTH_ID): the portal applies their rights, so read
   * through it what only they may see (a deal their CRM role hides answers ACCESS_DENIED here).
   */
  asUser: B24Client;
  /** The signed frame session for this tab; `page()` puts it in the page for `b24kit.api()`. */
  session: string;
  /** Wraps markup in the frame shell (the official SDK, the session keep-alive, `window.b24kit`). */
  page(content: { title: string; body: string; head?: string }): Response;
  /** Whether the portal offers a method the manifest declares (capability probe, cached). */
  can(method: string): Promise<boolean>;
  /** Plain-words notice of what the portal lacks for the manifest's required methods ('' when nothing). */
  capabilityNotice(): Promise<string>;
  /** The app's settings on the portal (app.option.*), values over the configured limit refused. */
  appOptions: PortalOptions;
  /** The app's own per-portal data, any size (the runtime's store). */
  kv: TenantKv;
}

/** A placement or app-page handler: HTML (wrapped in the frame shell), or a Response of its own. */
export type FrameHandler = (ctx: FrameContext) => Promise<Response | string> | Response | string;

/** A call from the app's own frame to its backend (`b24kit.api(name, body)`), session-checked. */
export interface ApiContext {
  tenant: TenantRecord;
  userId: number;
  placement: string;
  b24: GuardedClient;
  client: B24Client;
  /**
   * REST as the user who pressed the button: the AUTH_ID `b24kit.api()` sends from the frame, checked
   * (the tenant's portal accepts it, and it is the session's user). The portal applies their rights, so
   * write through it what the user may change and the app need not do on their behalf. Without an
   * AUTH_ID (a call made other than through `b24kit.api()`), every call fails with USER_AUTH_MISSING.
   */
  asUser: B24Client;
  body: unknown;
  appOptions: PortalOptions;
  kv: TenantKv;
}

export type ApiHandler = (ctx: ApiContext) => Promise<unknown> | unknown;
