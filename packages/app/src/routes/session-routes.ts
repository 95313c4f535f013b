import { createB24Client } from "@b24kit/rest";
import { AppError } from "../core/app-error.js";
import { json } from "../core/responses.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope } from "../core/web-router.js";
import { missingUserAuth, USER_AUTH_HEADER } from "../inbound/api-user-auth.js";
import { readText } from "../inbound/read-body.js";
import { appOptions } from "../options/portal-options.js";
import { tenantKv } from "../options/tenant-kv.js";
import { canCallPortal } from "../tenants/tenant-state.js";

/** API bodies from the app's own frame: small JSON. */
const API_LIMIT_BYTES = 1024 * 1024;

/** `POST b24/session/renew`: the page's keep-alive; a valid session gets a fresh token. */
export async function renewSession(rt: Runtime, request: Request, scope: RequestScope): Promise<Response> {
  const claims = rt.sessions.sessionFromRequest(request);
  scope.memberId = claims.memberId;
  const tenant = await rt.tenants.get(claims.memberId);
  if (!tenant || !canCallPortal(tenant.state))
    throw new AppError("TENANT_INACTIVE", 403, "The app is not active on this portal");
  const token = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  return json(200, { session: rt.sessions.renew(token) });
}

/**
 * `POST b24/api/{name}`: the frame calls its backend with the session; the handler acts as the app on
 * that portal, and as the user through `ctx.asUser` when the call brings the user's AUTH_ID (checked).
 */
export async function callApi(
  rt: Runtime,
  request: Request,
  name: string,
  scope: RequestScope,
): Promise<Response> {
  const claims = rt.sessions.sessionFromRequest(request);
  scope.memberId = claims.memberId;
  const handler = Object.hasOwn(rt.handlers.api, name) ? rt.handlers.api[name] : undefined;
  if (!handler) throw new AppError("NO_HANDLER", 404, `No API handler ${name}`);
  const tenant = await rt.tenants.get(claims.memberId);
  if (!tenant || !canCallPortal(tenant.state))
    throw new AppError("TENANT_INACTIVE", 403, "The app is not active on this portal");
  const text = await readText(request, API_LIMIT_BYTES);
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("BAD_REQUEST", 400, "The request body is not valid JSON");
  }
  const userToken = request.headers.get(USER_AUTH_HEADER) ?? "";
  if (userToken) await rt.apiUserAuth.verify(tenant, claims.userId, userToken);
  const result = await handler({
    tenant,
    userId: claims.userId,
    placement: claims.placement,
    b24: rt.capabilities.guard(claims.memberId, rt.clients.forPortal(claims.memberId)),
    client: rt.clients.forPortal(claims.memberId),
    asUser: userToken
      ? rt.clients.forUser(claims.memberId, tenant.clientEndpoint, userToken)
      : createB24Client({ auth: missingUserAuth(claims.memberId), fetch: rt.fetch }),
    body,
    appOptions: appOptions(rt.clients.forPortal(claims.memberId), { limitBytes: rt.config.optionLimitBytes }),
    kv: tenantKv(rt.store, claims.memberId),
  });
  return json(200, { result: result ?? null });
}
