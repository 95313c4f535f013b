import type { B24Client } from "@b24kit/rest";
import type { GuardedClient } from "../capabilities/guarded-call.js";
import type { FormObject } from "../inbound/read-body.js";
import type { PortalOptions } from "../options/portal-options.js";
import type { TenantKv } from "../options/tenant-kv.js";
import type { TenantRecord } from "../storage/records.js";

/** `data` of the CRM entity events: the changed record's id (docs/protocol.md §7.8). */
export interface CrmEntityEventData {
  FIELDS: { ID: string };
}

/** `data` of ONTASKADD / ONTASKUPDATE / ONTASKDELETE (api-reference/tasks/events/). */
export interface TaskEventData {
  FIELDS_BEFORE: { ID: string } | string;
  FIELDS_AFTER: { ID: string } | string;
  IS_ACCESSIBLE_BEFORE?: string;
  IS_ACCESSIBLE_AFTER?: string;
}

type CrmEvents<E extends string> = `ONCRM${E}${"ADD" | "UPDATE" | "DELETE"}`;

/** The events with a typed `data`; any other event name works too, with `data` as a form object. */
export type EventDataMap = {
  [E in CrmEvents<"DEAL" | "LEAD" | "CONTACT" | "COMPANY">]: CrmEntityEventData;
} & {
  ONTASKADD: TaskEventData;
  ONTASKUPDATE: TaskEventData;
  ONTASKDELETE: TaskEventData;
  ONUSERADD: FormObject;
  ONAPPINSTALL: FormObject;
  ONAPPUPDATE: FormObject;
  ONAPPUNINSTALL: FormObject;
  ONIMBOTMESSAGEADD: FormObject;
  ONIMBOTJOINCHAT: FormObject;
  ONIMBOTDELETE: FormObject;
};

export type EventData<E extends string> = E extends keyof EventDataMap ? EventDataMap[E] : FormObject;

/** What an event handler gets: the event, its tenant, and REST bound to that tenant. */
export interface EventContext<E extends string = string> {
  /**
   * The delivery's id, the same on every retry of it (delivery is at least once): make effects
   * idempotent on it. Of the online and offline copies of one change only one runs (events/event-matching.ts).
   */
  id: string;
  event: E;
  data: EventData<E>;
  /** When the change happened (unix seconds, the portal's clock). */
  ts: number;
  source: "online" | "offline";
  /** The user whose action caused it, when the portal said. */
  userId?: number;
  /** 1 on the first run; more when earlier runs failed (delivery is at least once). */
  attempt: number;
  tenant: TenantRecord;
  /**
   * REST as the app on this portal, guarded (a method the portal lacks is a MissingCapabilityError),
   * writes tagged with the runtime's auth_connector so they do not come back as offline events,
   * and never waiting long on the portal's limits: a throttled portal's job is postponed instead.
   */
  b24: GuardedClient;
  client: B24Client;
  appOptions: PortalOptions;
  kv: TenantKv;
}

export type EventHandler<E extends string = string> = (ctx: EventContext<E>) => Promise<void> | void;

/** Handlers by event name (upper case, as the manifest binds them). */
export type EventHandlers = { [E in keyof EventDataMap]?: EventHandler<E> } & {
  // biome-ignore lint/suspicious/noExplicitAny: other event names get FormObject data; `any` keeps the known ones assignable.
  [event: string]: EventHandler<any> | undefined;
};
