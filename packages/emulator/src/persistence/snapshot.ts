import { type AppRecord, adoptApp } from "../state/app-registry.js";
import type { OfflineRow } from "../state/event-ports.js";
import type { AccessGrant, AuthCode, RefreshGrant } from "../state/grants.js";
import { MODULES, type ModuleId, type PlanId } from "../state/plans.js";
import { type Installation, type LatencyRule, Portal, type Webhook } from "../state/portal.js";
import type { EmulatorSettings } from "../state/settings.js";
import { type Row, Table } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";

interface PortalSnapshot {
  memberId: string;
  domain: string;
  previousDomains: string[];
  plan: PlanId;
  modules: ModuleId[];
  featureOverrides: Record<string, boolean>;
  users: PortalUser[];
  webhooks: Webhook[];
  tables: Array<[string, { seq: number; rows: Row[] }]>;
  appOptions: Array<[string, Record<string, unknown>]>;
  userOptions: Array<[string, Record<string, unknown>]>;
  installations: Installation[];
  deleted: boolean;
  uiUserId: number;
  operatingLimitSeconds: number;
  bucketOverride?: { burst: number; drainPerSecond: number };
  latency: Record<string, LatencyRule>;
  requestLatencyMs?: number;
  dynamicTypes: number[];
}

export interface WorldSnapshot {
  version: 1;
  clockOffsetMs: number;
  settings: EmulatorSettings;
  defaultMemberId: string;
  authPort?: number;
  apps: AppRecord[];
  grants: { access: AccessGrant[]; refresh: RefreshGrant[]; codes: AuthCode[] };
  portals: PortalSnapshot[];
  /** Offline-event rows (§7.6) and the binding id sequence; absent in older files. */
  offlineEvents?: { seq: number; rows: OfflineRow[] };
  nextId?: number;
  /** The modules there were when this was saved: ones added since start switched on. */
  knownModules?: ModuleId[];
}

/** What a snapshot without `knownModules` knew of (before automation had a module). */
const FIRST_MODULES: ModuleId[] = ["crm", "tasks", "disk", "im", "telephony"];

/** Plain data for everything that must survive a restart (limits and stats deliberately do not). */
export function snapshotWorld(world: World): WorldSnapshot {
  return {
    version: 1,
    clockOffsetMs: world.clock.snapshot().offsetMs,
    settings: world.settings,
    defaultMemberId: world.defaultMemberId,
    offlineEvents: world.offlineEvents.toJSON(),
    nextId: world.nextId,
    knownModules: [...MODULES],
    apps: [...world.apps.values()],
    grants: {
      access: [...world.grants.access.values()],
      refresh: [...world.grants.refresh.values()],
      codes: [...world.grants.codes.values()],
    },
    portals: [...world.portals.values()].map((p) => ({
      memberId: p.memberId,
      domain: p.domain,
      previousDomains: [...p.previousDomains],
      plan: p.plan,
      modules: [...p.modules],
      featureOverrides: p.featureOverrides,
      users: [...p.users.values()],
      webhooks: [...p.webhooks.values()],
      tables: [...p.tables.entries()].map(([k, t]) => [k, t.toJSON()]),
      appOptions: [...p.appOptions.entries()],
      userOptions: [...p.userOptions.entries()],
      installations: [...p.installations.values()],
      deleted: p.deleted,
      uiUserId: p.uiUserId,
      operatingLimitSeconds: p.operatingLimitSeconds,
      ...(p.bucketOverride ? { bucketOverride: p.bucketOverride } : {}),
      latency: p.latency,
      requestLatencyMs: p.requestLatencyMs,
      dynamicTypes: [...p.dynamicTypes],
    })),
  };
}

export function restoreWorld(world: World, s: WorldSnapshot): void {
  world.clock.restore({ offsetMs: s.clockOffsetMs });
  world.settings = { ...world.settings, ...s.settings };
  world.defaultMemberId = s.defaultMemberId;
  world.authPort = s.authPort ?? 0;
  if (s.offlineEvents) world.offlineEvents.restore(s.offlineEvents);
  if (s.nextId) world.nextId = Math.max(world.nextId, s.nextId);
  for (const a of s.apps) world.apps.set(a.clientId, adoptApp(a));
  for (const g of s.grants.access) world.grants.access.set(g.token, g);
  for (const g of s.grants.refresh) world.grants.refresh.set(g.token, g);
  for (const c of s.grants.codes) world.grants.codes.set(c.code, c);
  const known = new Set(s.knownModules ?? FIRST_MODULES);
  const added = MODULES.filter((m) => !known.has(m));
  for (const ps of s.portals) {
    const p = new Portal({
      memberId: ps.memberId,
      domain: ps.domain,
      plan: ps.plan,
      modules: [...ps.modules, ...added],
      users: ps.users,
    });
    for (const d of ps.previousDomains) p.previousDomains.add(d);
    p.featureOverrides = ps.featureOverrides;
    for (const w of ps.webhooks) p.webhooks.set(w.code, w);
    for (const [k, t] of ps.tables) p.tables.set(k, Table.fromJSON(t));
    for (const [k, v] of ps.appOptions) p.appOptions.set(k, v);
    for (const [k, v] of ps.userOptions) p.userOptions.set(k, v);
    for (const i of ps.installations) p.installations.set(i.clientId, i);
    p.deleted = ps.deleted;
    p.uiUserId = ps.uiUserId;
    p.operatingLimitSeconds = ps.operatingLimitSeconds;
    p.bucketOverride = ps.bucketOverride;
    p.latency = ps.latency;
    p.requestLatencyMs = ps.requestLatencyMs ?? 0;
    p.dynamicTypes.clear();
    for (const t of ps.dynamicTypes) p.dynamicTypes.add(t);
    world.portals.set(p.memberId, p);
  }
}
