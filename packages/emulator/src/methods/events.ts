import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, param } from "../calls/params.js";
import { Errors } from "../calls/rest-error.js";
import { allEvents, eventExists, eventInScope, findEvent } from "../events/event-catalogue.js";
import type { EventBinding } from "../state/event-binding.js";
import { appInstallation, checkHandlerUrl, EventErrors, flag, str } from "./event-params.js";
import { offlineEventMethods } from "./events-offline.js";

/*
 * event.bind / event.unbind / event.get / events / event.test (docs/protocol.md
 * §7.2–7.4, §7.7). All work in app context only (webhooks get 403
 * WRONG_AUTH_TYPE from the executor). Non-admins may bind only online events,
 * always for themselves (auth_type = their id), and see and unbind only those.
 */

type EventType = "online" | "offline";

function eventType(ctx: CallContext): EventType {
  const raw = str(ctx.params, "event_type").toLowerCase() || "online";
  if (raw !== "online" && raw !== "offline")
    throw Errors.argument("EVENT_TYPE", "Argument 'EVENT_TYPE' must be 'online' or 'offline'");
  return raw;
}

function bind(ctx: CallContext): { result: true } {
  const installation = appInstallation(ctx);
  const event = str(ctx.params, "event").toUpperCase();
  if (!event) throw Errors.argument("EVENT");
  const type = eventType(ctx);
  const def = findEvent(event);
  if (!def || !eventExists(def, ctx.portal.modules) || !eventInScope(def, ctx.caller.scopes))
    throw EventErrors.eventNotFound();
  const offline = type === "offline";
  if (offline && !ctx.user.ADMIN) throw EventErrors.adminOnly("Offline events binding");
  if (offline && !def.offline)
    throw Errors.argument("EVENT_TYPE", `Event ${event} can not be bound as an offline event`);

  let handler = "";
  if (!offline) {
    handler = str(ctx.params, "handler");
    if (!handler) throw Errors.argument("HANDLER");
    checkHandlerUrl(handler, ctx.world.settings.requireHttpsHandlers);
  }

  let authType = asInt(param(ctx.params, "auth_type")) ?? 0;
  if (!ctx.user.ADMIN) {
    if (authType !== 0 && authType !== ctx.user.ID)
      throw EventErrors.adminOnly("Event binding with AUTH_TYPE");
    authType = ctx.user.ID;
  }

  const connector = str(ctx.params, "auth_connector");
  if (connector && !ctx.portal.feature("rest_auth_connector")) throw EventErrors.wrongLicense();

  const duplicate = installation.events.some(
    (b) =>
      b.event === event &&
      b.eventType === type &&
      b.handler === handler &&
      b.authType === authType &&
      (b.authConnector ?? "") === connector,
  );
  if (duplicate) throw EventErrors.alreadyBound();

  const binding: EventBinding = {
    id: ctx.world.nextId++,
    event,
    handler,
    authType,
    eventType: type,
    ...(connector ? { authConnector: connector } : {}),
    options: { ...asRecord(param(ctx.params, "options")) },
    consecutiveFailures: 0,
  };
  installation.events.push(binding);
  return { result: true };
}

/**
 * `event` is required, and `handler` for online bindings (api-reference/events/event-unbind.md's
 * table); an omitted `auth_type` matches every user, 0 or empty only handlers bound without a user.
 */
function unbind(ctx: CallContext): { result: { count: number } } {
  const installation = appInstallation(ctx);
  const type = eventType(ctx);
  if (type === "offline" && !ctx.user.ADMIN) throw EventErrors.adminOnly("Offline events unbinding");
  const event = str(ctx.params, "event").toUpperCase();
  if (!event) throw Errors.argument("EVENT");
  const handler = str(ctx.params, "handler");
  if (type === "online" && !handler) throw Errors.argument("HANDLER");
  const rawAuthType = param(ctx.params, "auth_type");
  let authType = rawAuthType === undefined || rawAuthType === null ? undefined : (asInt(rawAuthType) ?? 0);
  if (!ctx.user.ADMIN) {
    if (authType !== undefined && authType !== 0 && authType !== ctx.user.ID)
      throw EventErrors.adminOnly("Event unbinding with AUTH_TYPE");
    authType = ctx.user.ID;
  }
  const doomed = installation.events.filter(
    (b) =>
      b.eventType === type &&
      b.event === event &&
      (type === "offline" || b.handler === handler) &&
      (authType === undefined || b.authType === authType),
  );
  for (const b of doomed) installation.events.splice(installation.events.indexOf(b), 1);

  return { result: { count: doomed.length } };
}

function get(ctx: CallContext): { result: unknown[] } {
  const installation = appInstallation(ctx);
  const visible = installation.events.filter((b) => ctx.user.ADMIN || b.authType === ctx.user.ID);
  return {
    result: visible.map((b) => ({
      event: b.event,
      handler: b.handler,
      auth_type: String(b.authType),
      offline: b.eventType === "offline" ? 1 : 0,
    })),
  };
}

/** `events`: the caller's available events; `SCOPE=x` those of one scope; `FULL` every event the portal has. */
function list(ctx: CallContext): { result: string[] } {
  const defs = allEvents(ctx.portal.dynamicTypes).filter((d) => eventExists(d, ctx.portal.modules));
  if (flag(ctx.params, "full", false)) return { result: defs.map((d) => d.name) };
  const scope = str(ctx.params, "scope").toLowerCase();
  if (scope) return { result: defs.filter((d) => d.scope === scope).map((d) => d.name) };
  return { result: defs.filter((d) => eventInScope(d, ctx.caller.scopes)).map((d) => d.name) };
}

/** `event.test`: ONAPPTEST to the app's own ONAPPTEST handlers with the call's parameters under data[QUERY]. */
function test(ctx: CallContext): { result: 1 } {
  const installation = appInstallation(ctx);
  if (installation.installed) {
    for (const binding of installation.events) {
      if (binding.event !== "ONAPPTEST" || binding.eventType !== "online") continue;
      ctx.world.events.post({
        portal: ctx.portal,
        installation,
        binding,
        handler: binding.handler,
        event: "ONAPPTEST",
        // api-reference/events/test-handler.md: data holds QUERY and the portal's LANGUAGE_ID.
        data: { QUERY: { ...ctx.params }, LANGUAGE_ID: "en" },
        authUserId: binding.authType > 0 ? binding.authType : ctx.user.ID,
      });
    }
  }
  return { result: 1 };
}

export const eventMethods: MethodDef[] = [
  { name: "event.bind", scope: "basic", appOnly: true, run: bind },
  { name: "event.unbind", scope: "basic", appOnly: true, run: unbind },
  { name: "event.get", scope: "basic", appOnly: true, run: get },
  // events.md: "works only in the context of authorizing the application".
  { name: "events", scope: "basic", appOnly: true, run: list },
  { name: "event.test", scope: "basic", appOnly: true, run: test },
  ...offlineEventMethods,
];
