import type { EventBinding } from "../state/event-binding.js";
import type { EmitOptions, OfflineEventStore, OfflineRow } from "../state/event-ports.js";
import type { Installation, Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

/** Reserved batches are dropped after 30 days (docs/protocol.md §7.6). */
export const RESERVATION_TTL_MS = 30 * 24 * 3600 * 1000;

interface NotifyState {
  portal: Portal;
  installation: Installation;
  binding: EventBinding;
  pending: boolean;
  lastSentMs?: number;
  timer?: NodeJS.Timeout;
  immediate?: NodeJS.Immediate;
}

/** `options[minTimeout]` of an ONOFFLINEEVENT binding, seconds (default 1). */
function minTimeoutMs(binding: EventBinding): number {
  const raw = binding.options.minTimeout ?? binding.options.MINTIMEOUT ?? binding.options.mintimeout;
  const n = typeof raw === "string" ? Number(raw) : raw;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n * 1000 : 1000;
}

/**
 * The portal's offline-event store (docs/protocol.md §7.6). Plugged into the
 * EventBus as its offline sink: an offline-bound event becomes (or refreshes)
 * one row per (app, connector, changed object) among the rows no process has
 * reserved, holding the latest event name, data and time. Writes made with
 * the binding's own `auth_connector` are not queued (loop prevention). Each
 * change also notifies the app's ONOFFLINEEVENT handlers, at most once per
 * `minTimeout` seconds of emulator time (a change inside the pause is
 * announced when it ends; 0 = one notification per burst of changes).
 */
export class OfflineQueue implements OfflineEventStore {
  readonly #queues = new Map<string, OfflineRow[]>();
  readonly #notify = new Map<number, NotifyState>();
  #seq = 0;

  constructor(private readonly world: World) {
    world.events.offlineSink = (portal, installation, binding, event, data, options) =>
      this.add(portal, installation, binding, event, data, options);
  }

  static queueKey(memberId: string, clientId: string, connector: string): string {
    return `${memberId}|${clientId}|${connector}`;
  }

  /** The live rows of one app's queue (the one without a connector when `connector` is ""). */
  rows(memberId: string, clientId: string, connector: string): OfflineRow[] {
    const key = OfflineQueue.queueKey(memberId, clientId, connector);
    let rows = this.#queues.get(key);
    if (!rows) {
      rows = [];
      this.#queues.set(key, rows);
    }
    this.#expire(rows);
    return rows;
  }

  add(
    portal: Portal,
    installation: Installation,
    binding: EventBinding,
    event: string,
    data: unknown,
    options: EmitOptions,
  ): void {
    if (binding.authConnector && options.authConnector === binding.authConnector) return;
    const connector = binding.authConnector ?? "";
    const objectKey = options.objectKey ?? `${event}:${JSON.stringify(data)}`;
    const rows = this.rows(portal.memberId, installation.clientId, connector);
    const now = this.world.clock.nowMs();
    const free = rows.find((r) => r.objectKey === objectKey && r.processId === "");
    if (free) {
      free.eventName = event;
      free.eventData = data;
      free.timestampMs = now;
      free.error = false;
    } else {
      const id = ++this.#seq;
      rows.push({
        id,
        memberId: portal.memberId,
        clientId: installation.clientId,
        connector,
        objectKey,
        messageId: this.#messageId(rows, objectKey, id),
        eventName: event,
        eventData: data,
        timestampMs: now,
        processId: "",
        error: false,
      });
    }
    this.world.onChange();
    for (const b of installation.events) {
      if (b.event === "ONOFFLINEEVENT" && b.eventType === "online") this.#request(portal, installation, b);
    }
  }

  remove(memberId: string, clientId: string, connector: string, doomed: ReadonlySet<OfflineRow>): number {
    const rows = this.rows(memberId, clientId, connector);
    let removed = 0;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (doomed.has(rows[i]!)) {
        rows.splice(i, 1);
        removed += 1;
      }
    }
    if (removed) this.world.onChange();
    return removed;
  }

  /** Forgets every queue of an app on a portal (uninstall). */
  dropApp(memberId: string, clientId: string): void {
    const prefix = `${memberId}|${clientId}|`;
    for (const key of [...this.#queues.keys()]) if (key.startsWith(prefix)) this.#queues.delete(key);
    for (const [id, state] of this.#notify) {
      if (state.portal.memberId === memberId && state.installation.clientId === clientId) this.#forget(id);
    }
  }

  /** Sends the ONOFFLINEEVENT notifications whose pause has ended by the emulator clock (tests, idle). */
  flushDue(): void {
    for (const state of [...this.#notify.values()]) {
      if (!state.pending) continue;
      if (minTimeoutMs(state.binding) === 0) {
        if (state.immediate) clearImmediate(state.immediate);
        state.immediate = undefined;
        this.#send(state);
      } else this.#pump(state);
    }
  }

  toJSON(): { seq: number; rows: OfflineRow[] } {
    return { seq: this.#seq, rows: [...this.#queues.values()].flat() };
  }

  restore(data: { seq: number; rows: OfflineRow[] }): void {
    this.#seq = Math.max(this.#seq, data.seq);
    for (const row of data.rows) this.rows(row.memberId, row.clientId, row.connector).push(row);
  }

  /**
   * MESSAGE_ID names the change of one object: a digit string as in the pages' examples
   * (event-offline-get.md, event-offline-list.md: "1", "2"), the first row's ID, kept by
   * the rows the same object gets while an earlier one is reserved.
   */
  #messageId(rows: OfflineRow[], objectKey: string, id: number): string {
    return rows.find((r) => r.objectKey === objectKey)?.messageId ?? String(id);
  }

  #expire(rows: OfflineRow[]): void {
    const now = this.world.clock.nowMs();
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i]!;
      if (r.processId !== "" && r.reservedAtMs !== undefined && r.reservedAtMs + RESERVATION_TTL_MS <= now)
        rows.splice(i, 1);
    }
  }

  #request(portal: Portal, installation: Installation, binding: EventBinding): void {
    let state = this.#notify.get(binding.id);
    if (!state || state.binding !== binding) {
      if (state) this.#forget(binding.id);
      state = { portal, installation, binding, pending: false };
      this.#notify.set(binding.id, state);
    }
    state.pending = true;
    this.#pump(state);
  }

  #pump(state: NotifyState): void {
    if (!state.pending) return;
    const { portal, installation, binding } = state;
    if (
      portal.installations.get(installation.clientId) !== installation ||
      !installation.events.includes(binding)
    ) {
      this.#forget(binding.id);
      return;
    }
    const pause = minTimeoutMs(binding);
    if (pause === 0) {
      // One notification per burst: everything queued in this turn of the event loop.
      state.immediate ??= setImmediate(() => {
        state.immediate = undefined;
        if (state.pending) this.#send(state);
      });
      return;
    }
    const now = this.world.clock.nowMs();
    const dueMs = state.lastSentMs === undefined ? now : state.lastSentMs + pause;
    if (dueMs <= now) {
      this.#send(state);
      return;
    }
    if (state.timer) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.#pump(state);
    }, dueMs - now);
    state.timer.unref();
  }

  #send(state: NotifyState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    state.pending = false;
    state.lastSentMs = this.world.clock.nowMs();
    const { portal, installation, binding } = state;
    if (!installation.installed) return;
    this.world.events.post({
      portal,
      installation,
      binding,
      handler: binding.handler,
      event: "ONOFFLINEEVENT",
      data: [],
      authUserId: binding.authType > 0 ? binding.authType : installation.installedByUserId,
      includeRefreshToken: true,
    });
  }

  #forget(bindingId: number): void {
    const state = this.#notify.get(bindingId);
    if (state?.timer) clearTimeout(state.timer);
    if (state?.immediate) clearImmediate(state.immediate);
    this.#notify.delete(bindingId);
  }
}
