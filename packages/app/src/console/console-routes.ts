import { AppError } from "../core/app-error.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope, WebRouter } from "../core/web-router.js";
import type { JobQueue } from "../queue/job-queue.js";
import { type ActionResult, forceRefresh, replayDeadLetter, rerunProbe } from "./console-actions.js";
import { CONSOLE_AUDIT_KEY, type ConsoleDeps } from "./console-deps.js";
import { actionForm, readForm } from "./console-forms.js";
import { consolePage, h, htmlResponse, seeOther } from "./console-html.js";
import { showLogin, submitLogin } from "./console-login.js";
import { eventsPage, overviewPage, tenantsPage } from "./console-pages.js";
import { type ConsoleOperator, ConsoleSessions, type OperatorSession, sameText } from "./console-session.js";
import { LoginThrottle } from "./login-throttle.js";
import { auditSearchPage, tenantDetailPage, tenantOf } from "./tenant-pages.js";

/** `createApp({ console })`: who may sign in; the configuration's `consoleOperators` otherwise. */
export interface ConsoleOptions {
  /** Operators and their `hashOperatorPassword()` hashes; replaces `config.consoleOperators` when given. */
  operators?: ReadonlyArray<ConsoleOperator>;
  /** How long a refused sign-in waits before its answer (default 1000 ms). */
  failureDelayMs?: number;
}

type Page = (
  deps: ConsoleDeps,
  request: Request,
  params: Record<string, string>,
  session: OperatorSession,
) => Promise<Response>;

/**
 * Mounts the operator console at `{publicUrl}console/` on the router — only when at least one
 * operator is configured; otherwise none of its paths exist (404). Pages need a signed-in operator;
 * every POST needs the session's CSRF token and an Origin of the app's own.
 */
export function mountConsole(
  router: WebRouter,
  rt: Runtime,
  options: { queue: JobQueue | undefined; console?: ConsoleOptions; sampleIntervalMs: number },
): void {
  const operators = options.console?.operators ?? rt.config.consoleOperators;
  if (operators.length === 0) return;
  const publicUrl = new URL(rt.config.publicUrl);
  const base = `${publicUrl.pathname}console/`;
  const deps: ConsoleDeps = {
    rt,
    queue: options.queue,
    sessions: new ConsoleSessions(rt.config.sessionSecret, {
      operators,
      ttlSeconds: rt.config.consoleSessionTtlSeconds,
      now: rt.now,
      path: base.slice(0, -1),
      secure: publicUrl.protocol === "https:",
    }),
    throttle: new LoginThrottle(rt.now),
    base,
    sampleIntervalMs: options.sampleIntervalMs,
    failureDelayMs: options.console?.failureDelayMs ?? 1000,
  };

  /** A GET page for a signed-in operator; the sign-in form otherwise. */
  const view = (page: Page) => async (request: Request, params: Record<string, string>) => {
    const session = deps.sessions.read(request);
    if (!session) return seeOther(`${base}login`);
    return asHtml(deps, session, () => page(deps, request, params, session));
  };
  /** A POST action: a session, its CSRF token and our Origin, or 403 with nothing done. */
  const action =
    (
      run: (
        memberId: string,
        session: OperatorSession,
        form: { job?: string | undefined; back?: string | undefined },
      ) => Promise<ActionResult>,
    ) =>
    async (request: Request, params: Record<string, string>) => {
      const session = deps.sessions.read(request);
      const form = actionForm.safeParse(await readForm(request));
      if (
        !session ||
        !form.success ||
        !sameText(form.data.csrf, session.csrf) ||
        !sameOrigin(request, publicUrl)
      )
        return refused(deps);
      return asHtml(deps, session, async () => {
        const tenant = await tenantOf(deps, params.memberId);
        const result = await run(tenant.memberId, session, form.data);
        const back =
          form.data.back === "events"
            ? `${base}events`
            : `${base}tenants/${encodeURIComponent(tenant.memberId)}`;
        const query = new URLSearchParams({
          done: result.flash,
          ...(result.code ? { code: result.code } : {}),
        });
        return seeOther(`${back}?${query}`);
      });
    };

  const at = (path: string) => `${base}${path}`;
  router
    .on(
      "GET",
      at(""),
      "console",
      view((d, r, _p, s) => overviewPage(d, r, s)),
    )
    .on("GET", at("login"), "console", (request) => showLogin(deps, request))
    .on("POST", at("login"), "console", async (request, _params, scope: RequestScope) =>
      sameOrigin(request, publicUrl) ? submitLogin(deps, request, scope) : refused(deps),
    )
    .on("POST", at("logout"), "console", async (request) => {
      const session = deps.sessions.read(request);
      const form = actionForm.safeParse(await readForm(request));
      if (session && form.success && sameText(form.data.csrf, session.csrf) && sameOrigin(request, publicUrl))
        await rt.audit.record(CONSOLE_AUDIT_KEY, {
          kind: "operator",
          action: "console logout",
          outcome: "ok",
          detail: { operator: session.operator },
        });
      return seeOther(`${base}login`, { "set-cookie": deps.sessions.clear() });
    })
    .on(
      "GET",
      at("tenants"),
      "console",
      view((d, r, _p, s) => tenantsPage(d, r, s)),
    )
    .on(
      "GET",
      at("events"),
      "console",
      view((d, r, _p, s) => eventsPage(d, r, s)),
    )
    .on("GET", at("tenants/:memberId"), "console", view(tenantDetailPage))
    .on("GET", at("tenants/:memberId/audit"), "console", view(auditSearchPage))
    .on(
      "POST",
      at("tenants/:memberId/probe"),
      "console",
      action((m, s) => rerunProbe(deps, m, s.operator)),
    )
    .on(
      "POST",
      at("tenants/:memberId/refresh"),
      "console",
      action((m, s) => forceRefresh(deps, m, s.operator)),
    )
    .on(
      "POST",
      at("tenants/:memberId/replay"),
      "console",
      action((m, s, form) =>
        form.job
          ? replayDeadLetter(deps, m, s.operator, form.job)
          : Promise.resolve({ ok: false, flash: "replay-missing" }),
      ),
    );
}

/**
 * A browser's POST from our own pages: its Origin (sent with every form POST) is the app's public
 * origin or the one the request came to; a missing or hidden one only if Sec-Fetch-Site says same-origin
 * (or is absent too: not a browser, and the CSRF token still has to match).
 */
function sameOrigin(request: Request, publicUrl: URL): boolean {
  const origin = request.headers.get("origin");
  // "null": a browser hiding the origin (a no-referrer policy); then only Sec-Fetch-Site can tell.
  if (origin === null || origin === "null") {
    const site = request.headers.get("sec-fetch-site");
    return site === "same-origin" || (site === null && origin === null);
  }
  return origin === publicUrl.origin || origin === new URL(request.url).origin;
}

function refused(deps: ConsoleDeps): Response {
  return htmlResponse(
    consolePage({
      title: "Refused",
      appName: deps.rt.config.appName,
      base: deps.base,
      body: `<h1>Refused</h1><p>This form is stale or did not come from the console. <a href="${h(deps.base)}">Back to the console</a> (sign in again if asked).</p>`,
    }),
    403,
  );
}

/** Our errors (an unknown tenant: 404) as a console page; anything else goes on to the runtime's 500. */
async function asHtml(
  deps: ConsoleDeps,
  session: OperatorSession,
  run: () => Promise<Response>,
): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return htmlResponse(
      consolePage({
        title: "Not found",
        appName: deps.rt.config.appName,
        base: deps.base,
        operator: { name: session.operator, csrf: session.csrf },
        body: `<h1>${h(error.status === 404 ? "Not found" : "Refused")}</h1><p>${h(error.message)}</p>`,
      }),
      error.status,
    );
  }
}
