import type { OAuthTokens } from "@b24kit/rest";
import { VerificationError } from "../core/app-error.js";
import { json } from "../core/responses.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope } from "../core/web-router.js";
import { type EventRequest, parseEventRequest } from "../inbound/event-request.js";
import { confirmThroughOAuthServer } from "../inbound/portal-check.js";
import { field, readBody } from "../inbound/read-body.js";
import { installTenant, reapply } from "./install-tenant.js";

/**
 * The portal's event POSTs (`b24/events`, bound by the manifest) and the
 * headless install handler (`b24/install`, the "installation event handler
 * URL" of an app without pages, docs/protocol.md §2.1). Lifecycle events are
 * handled here; every event is verified before anything is done with it.
 */
export async function receiveEvent(rt: Runtime, request: Request, scope: RequestScope): Promise<Response> {
  const event = parseEventRequest(await readBody(request, rt.inboundLimitBytes));
  scope.memberId = event.memberId;
  switch (event.event) {
    case "ONAPPINSTALL":
      return thenQueue(rt, event, await onInstall(rt, event));
    case "ONAPPUPDATE":
      return thenQueue(rt, event, await onUpdate(rt, event));
    case "ONAPPUNINSTALL":
      return onUninstall(rt, event);
    default:
      try {
        await requireApplicationToken(rt, event);
        scope.verified = true;
      } catch (error) {
        rt.events?.rejected(error instanceof VerificationError ? error.code : "ERROR");
        throw error;
      }
      // Durable before the answer: the portal never sends an event twice (docs/protocol.md §7.1).
      await rt.events?.accept(event);
      return json(200, { ok: true });
  }
}

/** The headless install handler: ONAPPINSTALL's composition, possibly for a portal never seen. */
export async function receiveInstall(rt: Runtime, request: Request, scope: RequestScope): Promise<Response> {
  const event = parseEventRequest(await readBody(request, rt.inboundLimitBytes));
  scope.memberId = event.memberId;
  if (event.event !== "ONAPPINSTALL")
    throw new VerificationError(
      "EVENT_UNEXPECTED",
      `The install handler takes ONAPPINSTALL, not ${event.event}`,
      400,
    );
  return thenQueue(rt, event, await onInstall(rt, event));
}

/** Lifecycle events reach the app's own handlers too, once the runtime has done its part. */
async function thenQueue(rt: Runtime, event: EventRequest, response: Response): Promise<Response> {
  if (response.ok) await rt.events?.accept(event);
  return response;
}

/** The POST's auth[application_token] is the one this portal gave the app at install. */
export async function requireApplicationToken(
  rt: Runtime,
  event: { memberId: string; applicationToken: string },
): Promise<void> {
  if (!(await rt.vault.verifyApplicationToken(event.memberId, event.applicationToken)))
    throw new VerificationError(
      "APPLICATION_TOKEN_MISMATCH",
      "auth[application_token] does not match this portal's",
      401,
    );
}

/**
 * Confirms an event that carries tokens through the OAuth server (a first
 * install, or an update whose application_token is new): the refresh token is
 * redeemed with the app's own secret, and the server names the portal.
 */
async function confirmWithTokens(rt: Runtime, event: EventRequest) {
  const endpoint = field(event.auth, "client_endpoint");
  if (!/^https?:\/\//.test(endpoint))
    throw new VerificationError("EVENT_MALFORMED", "auth[client_endpoint] is missing", 400);
  return confirmThroughOAuthServer(
    rt.fetch,
    { memberId: event.memberId, endpoint, refreshToken: field(event.auth, "refresh_token") },
    rt.config,
  );
}

async function onInstall(rt: Runtime, event: EventRequest): Promise<Response> {
  const tenant = await rt.tenants.get(event.memberId);
  const known = tenant && tenant.state !== "uninstalled" && tenant.sealedApplicationToken;
  if (known && (await rt.vault.verifyApplicationToken(event.memberId, event.applicationToken))) {
    // installFinish happened for an install this process set up (or a duplicate): finishing is idempotent.
    const before = tenant.state;
    await rt.tenants.transition(event.memberId, "finish");
    // The probe taken during the installer saw an unfinished install; look again now that it is done.
    if (before === "installing") await rt.capabilities.refresh(event.memberId).catch(() => {});
    return json(200, { ok: true });
  }
  await installFromEvent(rt, event, await confirmWithTokens(rt, event));
  return json(200, { ok: true });
}

/** Installs (finished) from an event whose tokens the OAuth server confirmed. */
async function installFromEvent(rt: Runtime, event: EventRequest, tokens: OAuthTokens): Promise<void> {
  await installTenant(rt, {
    memberId: event.memberId,
    clientEndpoint: tokens.clientEndpoint,
    tokens,
    scopes: field(event.auth, "scope")
      .split(/[,\s]+/)
      .filter(Boolean),
    appStatus: field(event.auth, "status"),
    applicationToken: event.applicationToken,
    finish: true,
  });
}

async function onUpdate(rt: Runtime, event: EventRequest): Promise<Response> {
  const tokens = await confirmWithTokens(rt, event);
  const tenant = await rt.tenants.get(event.memberId);
  if (!tenant || tenant.state === "uninstalled") {
    // An update of an installation this app never recorded: take it as the install it is.
    await installFromEvent(rt, event, tokens);
    return json(200, { ok: true });
  }
  // The update removed every binding and may carry a new application_token (§2.5): store it, re-apply.
  await rt.tenants.saveTokens(event.memberId, tokens);
  await rt.tenants.recordUpdate(event.memberId, event.applicationToken);
  rt.clients.drop(event.memberId);
  await reapply(rt, event.memberId);
  return json(200, { ok: true });
}

async function onUninstall(rt: Runtime, event: EventRequest): Promise<Response> {
  // No tokens here (§2.6): the application_token is the only proof.
  await requireApplicationToken(rt, event);
  const clean = field(event.data, "CLEAN") === "1";
  // Audit lines wait for their group commit: written before the purge, not after it.
  if (clean) await rt.audit.flush();
  await rt.tenants.uninstall(event.memberId, clean, "ONAPPUNINSTALL");
  rt.clients.drop(event.memberId);
  if (!clean)
    rt.audit.record(event.memberId, {
      at: rt.now(),
      kind: "lifecycle",
      action: "uninstall",
      outcome: "ok",
      detail: { clean },
    });
  return json(200, { ok: true });
}
