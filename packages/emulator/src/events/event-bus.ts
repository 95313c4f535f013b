import qs from "qs";
import { eventAuth, issueAuth } from "../state/app-auth.js";
import type { DeliveryRecord } from "../state/delivery-log.js";
import type {
  EmitOptions,
  EventActor,
  EventDispatch,
  HandlerPost,
  OfflineSink,
} from "../state/event-ports.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { HandlerTimeout, postForm } from "./handler-client.js";

/**
 * The portal's event queue (docs/protocol.md §7): events of installed apps go to
 * their bound handlers as form-encoded POSTs, asynchronously, never retried.
 * In strict mode (default) a handler that does not answer 2xx within the
 * timeout fails, and its binding is removed after 3 consecutive failures —
 * harsher than the docs on purpose, so slow handlers show in tests.
 */
export class EventBus implements EventDispatch {
  offlineSink: OfflineSink | undefined;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(private readonly world: World) {}

  /** Fans an event out to every installed app bound to it. Returns at once. */
  emit(portal: Portal, event: string, data: unknown, actor: EventActor, options: EmitOptions = {}): void {
    const name = event.toUpperCase();
    for (const installation of portal.installations.values()) {
      // Events are not delivered until installation is finished (§2.1).
      if (!installation.installed) continue;
      for (const binding of installation.events) {
        if (binding.event !== name) continue;
        if (binding.eventType === "offline") {
          this.offlineSink?.(portal, installation, binding, name, data, options);
          continue;
        }
        const authUserId = binding.authType > 0 ? binding.authType : actor ? actor.userId : null;
        this.post({ portal, installation, binding, handler: binding.handler, event: name, data, authUserId });
      }
    }
  }

  /** Sends one POST in the background; the promise is for callers that want to wait (lifecycle events). */
  post(p: HandlerPost): Promise<DeliveryRecord> {
    const promise = this.#deliver(p);
    this.#pending.add(promise);
    promise.finally(() => this.#pending.delete(promise)).catch(() => {});
    return promise;
  }

  /** Resolves once every delivery in flight has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** The `auth` block of §7.5. */
  authBlock(p: HandlerPost): Record<string, unknown> {
    if (p.auth) return p.auth;
    const { portal, installation } = p;
    const base = {
      domain: portal.domain,
      client_endpoint: this.world.clientEndpoint(portal),
      server_endpoint: this.world.serverEndpoint,
      member_id: portal.memberId,
      application_token: installation.applicationToken,
    };
    const user = p.authUserId === null ? undefined : portal.users.get(p.authUserId);
    if (!user) return { ...base, scope: installation.scopes.join(","), status: installation.status };
    const settings = this.world.settings;
    return eventAuth(issueAuth(this.world, portal, installation, user.ID), {
      refreshToken: Boolean(p.includeRefreshToken) || settings.eventRefreshToken === "always",
      extras: settings.eventAuthExtras,
      scopeSeparator: p.event === "ONAPPINSTALL" ? settings.installScopeSeparator : ",",
    });
  }

  async #deliver(p: HandlerPost): Promise<DeliveryRecord> {
    const settings = this.world.settings;
    // As PHP's http_build_query writes it: "+" for spaces, booleans as 1/0, nulls left out.
    const ts = Math.floor(this.world.clock.nowSeconds());
    const fields = p.form
      ? { ...p.form, ts, auth: this.authBlock(p) }
      : {
          event: p.event,
          ...(p.binding ? { event_handler_id: p.binding.id } : {}),
          data: p.data ?? [],
          ts,
          auth: this.authBlock(p),
          ...p.extra,
        };
    const body = qs.stringify(fields, {
      format: "RFC1738",
      filter: (_prefix, value) =>
        value === true ? "1" : value === false ? "0" : value === null ? undefined : value,
    });
    const started = performance.now();
    const at = Math.floor(this.world.clock.nowSeconds());
    let status: number | null = null;
    let outcome: DeliveryRecord["outcome"];
    let error: string | undefined;
    try {
      const timeoutMs = settings.strictEventDelivery
        ? settings.strictEventTimeoutMs
        : settings.eventTimeoutMs;
      const res = await postForm(p.handler, body, timeoutMs, settings.handlerCaBundle);
      status = res.status;
      outcome = status >= 200 && status < 300 ? "ok" : "http_error";
    } catch (e) {
      outcome = e instanceof HandlerTimeout ? "timeout" : "network_error";
      error = e instanceof Error ? e.message : String(e);
    }
    let unbound = false;
    if (p.binding) {
      if (outcome === "ok") p.binding.consecutiveFailures = 0;
      else {
        p.binding.consecutiveFailures += 1;
        if (
          settings.strictEventDelivery &&
          p.binding.consecutiveFailures >= settings.eventFailuresBeforeUnbind
        ) {
          const events = p.installation.events;
          const index = events.indexOf(p.binding);
          if (index !== -1) events.splice(index, 1);
          unbound = true;
        }
      }
    }
    this.world.onChange();
    return this.world.deliveries.add({
      memberId: p.portal.memberId,
      clientId: p.installation.clientId,
      bindingId: p.binding?.id ?? null,
      event: p.event,
      handler: p.handler,
      at,
      durationMs: Math.round(performance.now() - started),
      status,
      outcome,
      ...(error ? { error } : {}),
      unbound,
      body,
    });
  }
}
