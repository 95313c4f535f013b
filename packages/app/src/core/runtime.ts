import type { B24Client, FetchLike } from "@b24kit/rest";
import type { AuditRecord } from "../audit/audit-log.js";
import type { GuardedClient } from "../capabilities/guarded-call.js";
import type { AppConfig } from "../config/app-config.js";
import type { EventIngress } from "../events/event-ingress.js";
import type { FieldTypeHandlers } from "../field-types/field-type-types.js";
import type { ApiUserAuth } from "../inbound/api-user-auth.js";
import type { AppManifest } from "../manifest/app-manifest.js";
import type { HandlerUrls } from "../manifest/apply-manifest.js";
import type { SessionSigner } from "../session/frame-session.js";
import type { StateSigner } from "../session/oauth-state.js";
import type { AppStore } from "../storage/app-store.js";
import type { TenantService } from "../tenants/tenant-service.js";
import type { TenantVault } from "../tenants/tenant-vault.js";
import type { ApiHandler, FrameHandler } from "./handler-types.js";
import type { PortalClients } from "./portal-clients.js";

/** Where audit lines go (audit/audit-log.ts writes them redacted to the store; never throws into a request). */
export interface AuditSink {
  record(memberId: string, entry: AuditRecord): Promise<void> | void;
  /** Writes what is waiting (before a purge); resolves once done. */
  flush(): Promise<void>;
}

/** What the probe knows about a portal, as the routes need it (capabilities/ implements it). */
export interface CapabilityPort {
  /** Probes the portal now (install, update, on demand) and caches the result. */
  refresh(memberId: string): Promise<void>;
  can(memberId: string, method: string): Promise<boolean>;
  /** Plain-words HTML notice of what is missing for the required methods ('' when nothing). */
  notice(memberId: string, userIsAdmin?: boolean): Promise<string>;
  /** The tenant's client with calls the portal cannot answer turned into MissingCapabilityError. */
  guard(memberId: string, client: B24Client): GuardedClient;
}

/** Everything the routes share: built once by createApp. */
export interface Runtime {
  config: AppConfig;
  manifest: AppManifest;
  store: AppStore;
  vault: TenantVault;
  tenants: TenantService;
  clients: PortalClients;
  sessions: SessionSigner;
  /** Checks the user AUTH_ID an API call brings (`ctx.asUser`). */
  apiUserAuth: ApiUserAuth;
  states: StateSigner;
  audit: AuditSink;
  capabilities: CapabilityPort;
  fetch: FetchLike;
  now: () => number;
  urls: HandlerUrls;
  handlers: {
    page?: FrameHandler;
    placements: Record<string, FrameHandler>;
    /** Field type frames by type code. */
    fieldTypes: Record<string, FieldTypeHandlers>;
    api: Record<string, ApiHandler>;
  };
  /** Bodies of portal POSTs above this are refused (frames and lifecycle events are small). */
  inboundLimitBytes: number;
  /** Where verified events go (none: the app has no queue, events are acknowledged and dropped). */
  events?: EventIngress;
  /** The auth_connector of the runtime's offline bindings and of its handlers' writes. */
  authConnector: string;
}
