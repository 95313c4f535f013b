import { AppError, VerificationError } from "../core/app-error.js";
import { escapeHtml, framedHtml } from "../core/responses.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope } from "../core/web-router.js";
import { exchangeCode } from "../inbound/oauth-code.js";

/**
 * `GET b24/oauth/start?member_id=…`: sends the browser to the portal's consent
 * page (docs/protocol.md §1.2) with a signed `state`. Only for portals the app
 * knows: the address comes from the tenant record, never from the request.
 */
export async function startOAuth(rt: Runtime, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const memberId = url.searchParams.get("member_id") ?? "";
  const tenant = memberId ? await rt.tenants.get(memberId) : undefined;
  if (!tenant) throw new AppError("TENANT_UNKNOWN", 404, "This portal has not installed the app");
  const returnTo = url.searchParams.get("return_to") ?? undefined;
  const state = rt.states.issue({ memberId, ...(returnTo ? { returnTo } : {}) });
  const consent = new URL("/oauth/authorize/", new URL(tenant.clientEndpoint).origin);
  consent.searchParams.set("client_id", rt.config.clientId);
  consent.searchParams.set("state", state);
  return new Response(null, {
    status: 302,
    headers: { location: consent.toString(), "cache-control": "no-store" },
  });
}

/**
 * `GET b24/oauth/callback?code&state&member_id&domain&…` (docs/protocol.md §1.2–1.3):
 * the state must be ours and unexpired, the code is redeemed at the configured
 * OAuth server, and the portal it names must be the one the state was for.
 * The new tokens replace a blocked tenant's dead ones.
 */
export async function oauthCallback(rt: Runtime, request: Request, scope: RequestScope): Promise<Response> {
  const url = new URL(request.url);
  const claims = rt.states.verify(url.searchParams.get("state") ?? "");
  const code = url.searchParams.get("code") ?? "";
  if (!code) throw new VerificationError("OAUTH_CODE_MISSING", "The redirect carries no code", 400);
  if (claims.memberId) scope.memberId = claims.memberId;
  const started = rt.now();
  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode(rt.fetch, code, rt.config, rt.now());
  } catch (error) {
    rt.audit.record(claims.memberId ?? "", {
      kind: "oauth",
      action: "authorization_code",
      outcome: "rejected",
      durationMs: rt.now() - started,
      detail: { error: error instanceof AppError ? error.code : "NETWORK_ERROR" },
    });
    throw error;
  }
  if (claims.memberId && claims.memberId !== tokens.memberId)
    throw new VerificationError(
      "OAUTH_PORTAL_MISMATCH",
      "The code is for another portal than the one authorised",
      403,
    );
  const tenant = await rt.tenants.get(tokens.memberId);
  if (!tenant || tenant.state === "uninstalled")
    throw new AppError("TENANT_UNKNOWN", 404, "Install the app on the portal first, then authorise it");
  await rt.tenants.saveTokens(tokens.memberId, { ...tokens, clientEndpoint: tenant.clientEndpoint });
  rt.clients.drop(tokens.memberId);
  if (tenant.state === "blocked")
    await rt.tenants.transition(tokens.memberId, "reauthorize", { stateReason: "" });
  rt.audit.record(tokens.memberId, {
    kind: "oauth",
    action: "authorization_code",
    outcome: "ok",
    durationMs: rt.now() - started,
  });
  if (claims.returnTo)
    return new Response(null, {
      status: 302,
      headers: { location: new URL(claims.returnTo, rt.config.publicUrl).toString() },
    });
  return framedHtml(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorised</title></head><body><main><h1>${escapeHtml(
      rt.config.appName,
    )} is connected again</h1><p>You can close this page.</p></main></body></html>`,
    "'none'",
  );
}
