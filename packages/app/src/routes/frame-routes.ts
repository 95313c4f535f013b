import { MissingCapabilityError } from "../capabilities/missing-capability-error.js";
import { AppError } from "../core/app-error.js";
import type { FrameContext, FrameHandler } from "../core/handler-types.js";
import { escapeHtml, framedHtml } from "../core/responses.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope } from "../core/web-router.js";
import { framePage } from "../frame/frame-page.js";
import { claimedEndpoint, parseFrameRequest } from "../inbound/frame-request.js";
import { PLAN_WITHOUT_REST } from "../inbound/portal-check.js";
import { readBody } from "../inbound/read-body.js";
import { type VerifiedFrame, verifyFrame } from "../inbound/verify-frame.js";
import { appOptions } from "../options/portal-options.js";
import { tenantKv } from "../options/tenant-kv.js";
import type { TenantRecord } from "../storage/records.js";
import { installTenant, reapply } from "./install-tenant.js";

/** A frame URL bound to one placement: requests naming another are refused. */
export interface FrameRoute {
  placement: string;
  /** The author's handler (undefined: 404 after verification). */
  handler: FrameHandler | undefined;
}

/**
 * The app page and its installer (POST to the app's URL, PLACEMENT=DEFAULT),
 * every placement (POST to /b24/placements/{code}) and every field type's
 * frame: verified, the tenant brought up to date, then the author's handler
 * renders inside the frame shell.
 */
export async function openFrame(
  rt: Runtime,
  request: Request,
  scope: RequestScope,
  route?: FrameRoute,
): Promise<Response> {
  const placementRoute = route?.placement;
  const url = new URL(request.url);
  const frame = parseFrameRequest(url, await readBody(request, rt.inboundLimitBytes));
  scope.memberId = frame.memberId;
  if (placementRoute && frame.placement !== placementRoute)
    throw new AppError(
      "PLACEMENT_MISMATCH",
      400,
      `This handler serves ${placementRoute}, not ${frame.placement}`,
    );
  const verified = await verifyFrame(frame, rt).catch((error: unknown) => {
    if (error instanceof AppError && error.code === PLAN_WITHOUT_REST) return undefined;
    throw error;
  });
  if (!verified) {
    // Unverified, so only static words, framed only by the portal the request names.
    return notice(claimedOrigin(frame), "This app needs a commercial plan", PLAN_TEXT);
  }
  const portalOrigin = new URL(verified.clientEndpoint).origin;
  const { check } = verified;

  if (!check.app.installed) {
    if (!check.user.admin) return notice(portalOrigin, "The app is being installed", NOT_INSTALLED_TEXT);
    const { report } = await installFromFrame(rt, verified, false);
    const failed = report.failed
      .map((f) => `<li>${escapeHtml(f.binding)}: ${escapeHtml(f.message)}</li>`)
      .join("");
    const body = `<main><h1>Setting up ${escapeHtml(rt.config.appName)}</h1><p>The app is ready on this portal.</p>${
      failed ? `<p>Some parts are not available on this portal:</p><ul>${failed}</ul>` : ""
    }</main>`;
    const session = rt.sessions.issue({
      memberId: frame.memberId,
      userId: check.user.id,
      placement: frame.placement,
    });
    return framedHtml(
      framePage({
        title: rt.config.appName,
        body,
        publicUrl: rt.config.publicUrl,
        session,
        sessionTtlSeconds: rt.config.sessionTtlSeconds,
        installFinish: true,
      }),
      portalOrigin,
    );
  }

  const tenant = await settleTenant(rt, verified);
  if (!tenant) return notice(portalOrigin, "The app needs its administrator", ADOPT_TEXT);
  const handler = route ? route.handler : rt.handlers.page;
  if (!handler) throw new AppError("NO_HANDLER", 404, `No handler for placement ${frame.placement}`);
  return render(rt, handler, tenant, verified, portalOrigin);
}

/** Installs from a verified frame: the opening admin's tokens become the app's on that portal. */
function installFromFrame(rt: Runtime, verified: VerifiedFrame, finish: boolean) {
  const { frame, check } = verified;
  return installTenant(rt, {
    memberId: frame.memberId,
    clientEndpoint: verified.clientEndpoint,
    tokens: verified.tokens,
    scopes: frame.scopes,
    appStatus: check.app.status,
    applicationToken: frame.applicationToken,
    finish,
  });
}

/**
 * The portal says the app is installed: make the stored tenant agree — adopt a
 * portal the store lost (admin only), finish an install whose ONAPPINSTALL has
 * not arrived, follow a confirmed move, re-apply after an update.
 */
async function settleTenant(rt: Runtime, verified: VerifiedFrame): Promise<TenantRecord | undefined> {
  const { frame, check } = verified;
  let tenant = verified.tenant;
  if (!tenant || tenant.state === "uninstalled") {
    if (!check.user.admin) return undefined;
    return (await installFromFrame(rt, verified, true)).tenant;
  }
  if (verified.confirmedByOAuthServer && tenant.clientEndpoint !== verified.clientEndpoint) {
    tenant =
      (await rt.tenants.moveDomain(
        frame.memberId,
        new URL(verified.clientEndpoint).host,
        verified.clientEndpoint,
      )) ?? tenant;
    rt.clients.drop(frame.memberId);
  }
  if (tenant.state === "installing") {
    tenant = (await rt.tenants.transition(frame.memberId, "finish")) ?? tenant;
    await rt.capabilities.refresh(frame.memberId).catch(() => {});
  }
  if (tenant.state === "payment_expired" && !check.app.paymentExpired)
    tenant = (await rt.tenants.transition(frame.memberId, "paid", { stateReason: "" })) ?? tenant;
  if (tenant.state === "blocked" && check.user.admin) {
    // The tenant's tokens died; an admin opening the app hands the runtime working ones again.
    await rt.tenants.saveTokens(frame.memberId, verified.tokens);
    rt.clients.drop(frame.memberId);
    tenant = (await rt.tenants.transition(frame.memberId, "reauthorize", { stateReason: "" })) ?? tenant;
  }
  if (check.user.admin && tenant.manifestVersion !== rt.manifest.version) {
    await reapply(rt, frame.memberId);
    tenant = (await rt.tenants.get(frame.memberId)) ?? tenant;
  }
  return tenant;
}

async function render(
  rt: Runtime,
  handler: FrameHandler,
  tenant: TenantRecord,
  verified: VerifiedFrame,
  portalOrigin: string,
): Promise<Response> {
  const { frame, check } = verified;
  const session = rt.sessions.issue({
    memberId: frame.memberId,
    userId: check.user.id,
    placement: frame.placement,
  });
  const page = (content: { title: string; body: string; head?: string }) =>
    framedHtml(
      framePage({
        ...content,
        publicUrl: rt.config.publicUrl,
        session,
        sessionTtlSeconds: rt.config.sessionTtlSeconds,
      }),
      portalOrigin,
    );
  const ctx: FrameContext = {
    tenant,
    user: check.user,
    placement: frame.placement,
    options: frame.options,
    lang: frame.lang,
    b24: rt.capabilities.guard(frame.memberId, rt.clients.forPortal(frame.memberId)),
    client: rt.clients.forPortal(frame.memberId),
    asUser: rt.clients.forUser(frame.memberId, verified.clientEndpoint, verified.tokens.accessToken),
    session,
    page,
    can: (method) => rt.capabilities.can(frame.memberId, method),
    capabilityNotice: () => rt.capabilities.notice(frame.memberId, check.user.admin),
    appOptions: appOptions(rt.clients.forPortal(frame.memberId), { limitBytes: rt.config.optionLimitBytes }),
    kv: tenantKv(rt.store, frame.memberId),
  };
  let out: Response | string;
  try {
    out = await handler(ctx);
  } catch (error) {
    if (!(error instanceof MissingCapabilityError)) throw error;
    // What the portal lacks, in plain words, where the page would have been.
    const hint = check.user.admin && error.adminHint ? `<p>${escapeHtml(error.adminHint)}</p>` : "";
    out = `<main role="status" data-b24kit-notice><p>${escapeHtml(error.userText)}</p>${hint}</main>`;
  }
  return typeof out === "string" ? page({ title: rt.config.appName, body: out }) : out;
}

const PLAN_TEXT =
  "Your Bitrix24 plan does not include the REST API that apps use, so this app cannot work here. A Bitrix24 administrator can switch to a commercial plan; the app will then work without being installed again.";

function claimedOrigin(frame: Parameters<typeof claimedEndpoint>[0]): string {
  try {
    return new URL(claimedEndpoint(frame)).origin;
  } catch {
    return "'none'";
  }
}

const NOT_INSTALLED_TEXT =
  "Your Bitrix24 administrator has started installing this app and has not finished yet. Please try again later or ask them to open the app once.";
const ADOPT_TEXT =
  "This app lost its connection to your Bitrix24. Please ask your administrator to open the app once: that restores it for everyone.";

function notice(portalOrigin: string, title: string, text: string): Response {
  return framedHtml(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main role="status" data-b24kit-notice><h1>${escapeHtml(
      title,
    )}</h1><p>${escapeHtml(text)}</p></main></body></html>`,
    portalOrigin,
  );
}
