import type { ModuleId } from "../state/plans.js";

/**
 * Events an app can bind (docs/protocol.md §7.2, §7.8, §2.4–2.8, §12.3), by scope.
 * An event exists for an app when its module is on and the app has its scope
 * ("basic" events exist for every app); anything else is ERROR_EVENT_NOT_FOUND.
 * `offline: false` marks events that cannot be bound with event_type=offline
 * (lifecycle, test, notification and bot events are only ever POSTed).
 */
export interface EventDef {
  name: string;
  scope: string;
  offline: boolean;
}

const MODULE_OF_SCOPE: Record<string, ModuleId> = {
  crm: "crm",
  task: "tasks",
  telephony: "telephony",
  imbot: "im",
  im: "im",
};

const crud = (prefix: string) => ["ADD", "UPDATE", "DELETE"].map((a) => `${prefix}${a}`);

const CATALOGUE: EventDef[] = [
  ...[
    "ONAPPINSTALL",
    "ONAPPUPDATE",
    "ONAPPUNINSTALL",
    "ONAPPTEST",
    "ONAPPPAYMENT",
    "ONAPPMETHODCONFIRM",
    "ONOFFLINEEVENT",
  ].map((name) => ({ name, scope: "basic", offline: false })),
  ...[
    ...crud("ONCRMLEAD"),
    ...crud("ONCRMDEAL"),
    ...crud("ONCRMCONTACT"),
    ...crud("ONCRMCOMPANY"),
    ...crud("ONCRMDYNAMICITEM"),
    ...crud("ONCRMACTIVITY"),
  ].map((name) => ({ name, scope: "crm", offline: true })),
  ...[...crud("ONTASK"), ...crud("ONTASKCOMMENT")].map((name) => ({ name, scope: "task", offline: true })),
  { name: "ONUSERADD", scope: "user", offline: true },
  ...["ONVOXIMPLANTCALLINIT", "ONVOXIMPLANTCALLSTART", "ONVOXIMPLANTCALLEND"].map((name) => ({
    name,
    scope: "telephony",
    offline: true,
  })),
  ...[
    "ONIMBOTMESSAGEADD",
    "ONIMBOTMESSAGEUPDATE",
    "ONIMBOTMESSAGEDELETE",
    "ONIMBOTJOINCHAT",
    "ONIMBOTDELETE",
  ].map((name) => ({ name, scope: "imbot", offline: false })),
];

const BY_NAME = new Map(CATALOGUE.map((def) => [def.name, def]));

/** Per-type smart-process events: ONCRMDYNAMICITEMADD_1038 … (§7.8). */
const DYNAMIC_TYPED = /^ONCRMDYNAMICITEM(ADD|UPDATE|DELETE)_(\d+)$/;

/** The definition of an (upper-case) event name, or undefined when the portal has no such event. */
export function findEvent(name: string): EventDef | undefined {
  const def = BY_NAME.get(name);
  if (def) return def;
  if (DYNAMIC_TYPED.test(name)) return { name, scope: "crm", offline: true };
  return undefined;
}

/** True when the event's module is switched on (events of a switched-off module do not exist). */
export function eventExists(def: EventDef, modules: ReadonlySet<string>): boolean {
  const module = MODULE_OF_SCOPE[def.scope];
  return !module || modules.has(module);
}

/** True when an app (or webhook) with these scopes may bind the event. */
export function eventInScope(def: EventDef, scopes: ReadonlySet<string>): boolean {
  return def.scope === "basic" || scopes.has(def.scope);
}

/** Every catalogued event (per-type dynamic ones only for the portal's smart-process types). */
export function allEvents(dynamicTypes: Iterable<number> = []): EventDef[] {
  const typed: EventDef[] = [];
  for (const typeId of dynamicTypes) {
    for (const name of crud("ONCRMDYNAMICITEM"))
      typed.push({ name: `${name}_${typeId}`, scope: "crm", offline: true });
  }
  return [...CATALOGUE, ...typed];
}
