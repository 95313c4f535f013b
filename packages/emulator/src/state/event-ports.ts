import type { DeliveryRecord } from "./delivery-log.js";
import type { EventBinding } from "./event-binding.js";
import type { Installation, Portal } from "./portal.js";

/*
 * What the state layer knows of event delivery: the shapes the world holds
 * and hands on. The event bus and the offline queue (events/) implement them;
 * the world gets them from the emulator when it is built.
 */

/** Who caused an event: a user, or nobody (automation, workflow, agent: no tokens are sent, §7.5). */
export type EventActor = { userId: number } | null;

export interface EmitOptions {
  /** `auth_connector` of the write that caused the event (offline loop prevention, §7.6). */
  authConnector?: string;
  /** The changed object (offline de-duplication key). */
  objectKey?: string;
}

/** Receives offline-bound events; the offline queue plugs in here. */
export type OfflineSink = (
  portal: Portal,
  installation: Installation,
  binding: EventBinding,
  event: string,
  data: unknown,
  options: EmitOptions,
) => void;

export interface HandlerPost {
  portal: Portal;
  installation: Installation;
  binding?: EventBinding;
  handler: string;
  event: string;
  data: unknown;
  /** User whose fresh token goes in `auth`; null = no tokens. */
  authUserId: number | null;
  /** Extra keys for the `auth` block (e.g. refresh_token for ONOFFLINEEVENT). */
  includeRefreshToken?: boolean;
  /** Top-level keys besides event/data/ts/auth (bot events). */
  extra?: Record<string, unknown>;
  /** A ready `auth` block instead of the computed one (ONAPPUNINSTALL's token-less block, §2.6). */
  auth?: Record<string, unknown>;
  /**
   * The POST's fields instead of `event`/`data` (a robot's call carries `workflow_id`, `document_id`,
   * `properties`…, automation/robot-dispatch.ts); `ts` and `auth` are added as for events.
   */
  form?: Record<string, unknown>;
}

/** The portal's event queue as the rest of the emulator uses it (events/event-bus.ts). */
export interface EventDispatch {
  /** Receives offline-bound events; the offline queue plugs in here. */
  offlineSink: OfflineSink | undefined;
  /** Fans an event out to every installed app bound to it. Returns at once. */
  emit(portal: Portal, event: string, data: unknown, actor: EventActor, options?: EmitOptions): void;
  /** Sends one POST in the background; the promise is for callers that want to wait. */
  post(p: HandlerPost): Promise<DeliveryRecord>;
  /** Resolves once every delivery in flight has finished. */
  idle(): Promise<void>;
}

/** One row of an app's offline queue: the latest change of one object (§7.6). */
export interface OfflineRow {
  id: number;
  memberId: string;
  clientId: string;
  /** `auth_connector` of the binding that queued it; "" = the queue without a connector. */
  connector: string;
  /** The changed object (de-duplication key). */
  objectKey: string;
  messageId: string;
  eventName: string;
  eventData: unknown;
  /** Emulator-clock ms of the latest change. */
  timestampMs: number;
  /** "" while free; the process that reserved it (event.offline.get clear=0). */
  processId: string;
  reservedAtMs?: number;
  error: boolean;
}

/** The offline-event store as the rest of the emulator uses it (events/offline-queue.ts). */
export interface OfflineEventStore {
  rows(memberId: string, clientId: string, connector: string): OfflineRow[];
  remove(memberId: string, clientId: string, connector: string, doomed: ReadonlySet<OfflineRow>): number;
  dropApp(memberId: string, clientId: string): void;
  flushDue(): void;
  toJSON(): { seq: number; rows: OfflineRow[] };
  restore(data: { seq: number; rows: OfflineRow[] }): void;
}
