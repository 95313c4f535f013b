import { Clock } from "../clock.js";
import { LeakyBuckets } from "../limits/leaky-bucket.js";
import { OperatingLedger } from "../limits/operating-ledger.js";
import type { AppRecord } from "./app-registry.js";
import type { AutomationPort } from "./automation-port.js";
import { DeliveryLog } from "./delivery-log.js";
import type { EventDispatch, OfflineEventStore } from "./event-ports.js";
import { Grants } from "./grants.js";
import type { Portal } from "./portal.js";
import { defaultSettings, type EmulatorSettings } from "./settings.js";

/** How the emulator builds the world's event delivery (events/ implements it; state only knows the shape). */
export interface WorldServices {
  events(world: World): EventDispatch;
  offlineEvents(world: World): OfflineEventStore;
  automation(world: World): AutomationPort;
}

/**
 * Everything the emulator knows: portals, registered apps, the OAuth server's
 * grants, limits and the one clock. Plain data plus lookups; behaviour lives
 * in the REST executor, the OAuth routes and the control API.
 */
export class World {
  readonly clock = new Clock();
  settings: EmulatorSettings = defaultSettings();
  readonly portals = new Map<string, Portal>();
  readonly apps = new Map<string, AppRecord>();
  readonly grants = new Grants();
  readonly buckets = new LeakyBuckets();
  readonly ledger = new OperatingLedger();
  readonly deliveries = new DeliveryLog();
  readonly events: EventDispatch;
  /** Offline-event rows (§7.6); plugs itself into `events` as the offline sink. */
  readonly offlineEvents: OfflineEventStore;
  /** CRM automation: robots on stages (automation/automation-engine.ts). */
  readonly automation: AutomationPort;
  /** Sequence for event bindings and other portal-wide ids that must not repeat. */
  nextId = 1;
  /** Base URL of the main listener, e.g. "https://127.0.0.1:8480/" (OAuth server and control API live there). */
  baseUrl = "";
  defaultMemberId = "";
  /** Called after any change worth persisting. */
  onChange: () => void = () => {};

  constructor(services: WorldServices) {
    this.events = services.events(this);
    this.offlineEvents = services.offlineEvents(this);
    this.automation = services.automation(this);
  }

  get protocol(): "https" | "http" {
    return this.baseUrl.startsWith("http://") ? "http" : "https";
  }

  /**
   * Base URL of the OAuth server: a listener of its own, as on the real
   * platform, where the auth server (`server_endpoint`) and the portal
   * (`client_endpoint`) are different hosts (docs/protocol.md §1.1).
   */
  authUrl = "";
  /** Port of the OAuth server's listener (kept across --state restarts when free). */
  authPort = 0;

  /** server_endpoint as portals hand it to apps; the token endpoint is its base + "oauth/token/". */
  get serverEndpoint(): string {
    return `${this.authUrl}rest/`;
  }

  get authServerDomain(): string {
    return new URL(this.authUrl).host;
  }

  portal(memberId: string): Portal | undefined {
    return this.portals.get(memberId);
  }

  portalByDomain(domain: string): Portal | undefined {
    for (const p of this.portals.values()) if (p.domain === domain) return p;
    for (const p of this.portals.values()) if (p.previousDomains.has(domain)) return p;
    return undefined;
  }

  clientEndpoint(portal: Portal): string {
    return `${this.protocol}://${portal.domain}/rest/`;
  }

  adminWebhookUrl(portal: Portal): string | undefined {
    for (const hook of portal.webhooks.values()) {
      if (hook.userId === 1) return `${this.protocol}://${portal.domain}/rest/${hook.userId}/${hook.code}/`;
    }
    return undefined;
  }

  describePortal(portal: Portal): Record<string, unknown> {
    return {
      memberId: portal.memberId,
      domain: portal.domain,
      plan: portal.plan,
      clientEndpoint: this.clientEndpoint(portal),
      adminWebhookUrl: this.adminWebhookUrl(portal),
      modules: [...portal.modules],
      deleted: portal.deleted,
    };
  }
}
