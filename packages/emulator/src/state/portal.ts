import { hex, webhookCode } from "../ids.js";
import type { EventBinding } from "./event-binding.js";
import type { PlacementBinding } from "./placement-binding.js";
import { MODULES, type ModuleId, PLANS, type PlanId, type PlanProfile } from "./plans.js";
import { Table } from "./table.js";
import { newUser, type PortalUser } from "./user.js";

export interface Webhook {
  code: string;
  userId: number;
  scopes: string[];
  /** Unix ms; calls after it fail with NO_AUTH_FOUND. */
  expiresAtMs?: number;
}

export interface Installation {
  clientId: string;
  installed: boolean;
  applicationToken: string;
  scopes: string[];
  version: number;
  status: string;
  installedByUserId: number;
  /** Set through the control API: the OAuth server then refuses tokens with PAYMENT_REQUIRED. */
  paymentRequired?: boolean;
  events: EventBinding[];
  placements: PlacementBinding[];
}

export interface PortalStats {
  total: number;
  byMethod: Record<string, number>;
  errors: Record<string, number>;
  /** Rows the list engine examined, in all and per method (see rest/list-query.ts pageRows). */
  rowsScanned: number;
  rowsScannedByMethod: Record<string, number>;
}

/** Distinct method names the stats keep before counting the rest together under OTHER_METHODS. */
export const MAX_STAT_KEYS = 1000;
export const OTHER_METHODS = "(other methods)";

export function emptyStats(): PortalStats {
  // Keyed by names callers choose (`__proto__` included): maps without a prototype.
  return {
    total: 0,
    byMethod: Object.create(null),
    errors: Object.create(null),
    rowsScanned: 0,
    rowsScannedByMethod: Object.create(null),
  };
}

/** A fault injected through the control API for the next `count` calls of a method ("*" = any). */
export interface Fault {
  method: string;
  remaining: number;
  status?: number;
  error?: string;
  description?: string;
  latencyMs?: number;
  drop?: boolean;
}

/**
 * Simulated method cost: `baseMs + perRowMs × rows returned + perScannedRowMs × rows examined`,
 * slept for real and reported as `processing`.
 */
export interface LatencyRule {
  baseMs: number;
  perRowMs: number;
  perScannedRowMs?: number;
}

export interface PortalInit {
  memberId?: string;
  domain: string;
  plan?: PlanId;
  modules?: ModuleId[];
  users?: Array<Partial<PortalUser>>;
}

export class Portal {
  readonly memberId: string;
  domain: string;
  readonly previousDomains = new Set<string>();
  plan: PlanId;
  readonly modules: Set<ModuleId>;
  /** Per-portal overrides of the plan's feature flags. */
  featureOverrides: Record<string, boolean> = {};
  readonly users = new Map<number, PortalUser>();
  readonly webhooks = new Map<string, Webhook>();
  readonly tables = new Map<string, Table>();
  readonly appOptions = new Map<string, Record<string, unknown>>();
  readonly userOptions = new Map<string, Record<string, unknown>>();
  readonly installations = new Map<string, Installation>();
  deleted = false;
  /** The user the portal's pages (and /oauth/authorize/) act for. */
  uiUserId = 1;
  /** Operating-time limit per (app or webhook, method), seconds per 10 minutes. */
  operatingLimitSeconds = 480;
  /** Per-plan override of the leaky bucket; undefined = the plan's. */
  bucketOverride: { burst: number; drainPerSecond: number } | undefined;
  latency: Record<string, LatencyRule> = {};
  /** Simulated cost of every HTTP request (network, auth, bootstrap), before any method runs. */
  requestLatencyMs = 0;
  faults: Fault[] = [];
  stats: PortalStats = emptyStats();
  /** Smart-process types that exist on this portal (crm.item with entityTypeId >= 128). */
  readonly dynamicTypes = new Set<number>([1038]);

  constructor(init: PortalInit) {
    this.memberId = init.memberId ?? hex(16);
    this.domain = init.domain;
    this.plan = init.plan ?? "professional";
    this.modules = new Set(init.modules ?? MODULES);
    const users = init.users?.length ? init.users : [{}];
    users.forEach((u, i) => {
      const user = newUser(u.ID ?? i + 1, u);
      this.users.set(user.ID, user);
    });
    if (!this.users.has(1)) this.users.set(1, newUser(1));
  }

  get profile(): PlanProfile {
    return PLANS[this.plan];
  }

  get bucket(): { burst: number; drainPerSecond: number } {
    return this.bucketOverride ?? { burst: this.profile.burst, drainPerSecond: this.profile.drainPerSecond };
  }

  feature(code: string): boolean | undefined {
    return this.featureOverrides[code] ?? this.profile.features[code];
  }

  table(name: string): Table {
    let t = this.tables.get(name);
    if (!t) {
      t = new Table();
      this.tables.set(name, t);
    }
    return t;
  }

  addWebhook(userId: number, scopes: string[]): Webhook {
    const hook: Webhook = { code: webhookCode(), userId, scopes };
    this.webhooks.set(hook.code, hook);
    return hook;
  }

  addUser(init: Partial<PortalUser>): PortalUser {
    const id = init.ID ?? Math.max(0, ...this.users.keys()) + 1;
    const user = newUser(id, init);
    this.users.set(id, user);
    return user;
  }

  record(method: string | undefined, errorCode: string | undefined, countRequest: boolean): void {
    if (countRequest) this.stats.total += 1;
    if (method) {
      // Any web page can call made-up method names: past MAX_STAT_KEYS names, new ones share one key.
      const key =
        Object.hasOwn(this.stats.byMethod, method) || Object.keys(this.stats.byMethod).length < MAX_STAT_KEYS
          ? method
          : OTHER_METHODS;
      this.stats.byMethod[key] = (this.stats.byMethod[key] ?? 0) + 1;
    }
    if (errorCode !== undefined) this.stats.errors[errorCode] = (this.stats.errors[errorCode] ?? 0) + 1;
  }

  recordScanned(method: string, rows: number): void {
    if (rows <= 0) return;
    this.stats.rowsScanned += rows;
    this.stats.rowsScannedByMethod[method] = (this.stats.rowsScannedByMethod[method] ?? 0) + rows;
  }

  /** Takes the first matching fault for `method`, consuming one of its uses. */
  takeFault(method: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.method === "*" || f.method === method));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  latencyFor(method: string): LatencyRule | undefined {
    return this.latency[method] ?? this.latency["*"];
  }
}
