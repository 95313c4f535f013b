import type { AppRecord } from "../state/app-registry.js";
import type { Installation } from "../state/portal.js";
import { frameMarkup } from "./frame-markup.js";
import { type FrameSessions, frameUrlProblem } from "./frame-sessions.js";
import { card, esc, notice } from "./html.js";
import { type PageContext, renderPage } from "./layout.js";
import { appName, findBinding, placementTitle } from "./visibility.js";

/*
 * The marketplace (docs/protocol.md §2.1–2.3): the apps list, the install page
 * `/marketplace/install/{clientId}/` (admins; a UI app's installer opens in a
 * frame in install mode until it calls installFinish) and the app's own page
 * `/marketplace/app/{id}/` (placement DEFAULT). Until installation finishes,
 * admins get the installer again and everyone else a "not fully installed" notice.
 */

/** Query parameters the portal itself uses; the rest of an app page's query becomes its PLACEMENT_OPTIONS. */
const SYSTEM_PARAMS = new Set(["install_finished", "IFRAME", "IFRAME_TYPE", "from", "from_app"]);

export const NOT_FULLY_INSTALLED =
  "The application is not fully installed. Please contact your Bitrix24 administrator.";

function appKind(app: AppRecord): string {
  if (app.installUrl) return "UI app with installer";
  if (app.appUrl) return "UI app";
  return "Headless app (API only)";
}

function scopesList(app: AppRecord): string {
  return app.scopes.length
    ? `<ul class="b24-chips">${app.scopes.map((s) => `<li class="b24-chip">${esc(s)}</li>`).join("")}</ul>`
    : '<span class="b24-muted">basic</span>';
}

function status(ctx: PageContext, app: AppRecord, installation: Installation | undefined): string {
  const admin = ctx.user.ADMIN;
  if (!installation) {
    return admin
      ? `<a class="b24-btn b24-btn--primary" href="/marketplace/install/${encodeURIComponent(app.clientId)}/" data-install="${esc(app.clientId)}">Install</a>`
      : '<span class="b24-pill">Not installed</span>';
  }
  if (!installation.installed) {
    return admin
      ? `<span class="b24-pill b24-pill--warn">Installing</span> <a class="b24-btn b24-btn--light" href="/marketplace/app/${app.id}/">Continue installation</a>`
      : '<span class="b24-pill b24-pill--warn">Not fully installed</span>';
  }
  const open = app.appUrl
    ? ` <a class="b24-btn b24-btn--light" href="/marketplace/app/${app.id}/">Open</a>`
    : "";
  return `<span class="b24-pill b24-pill--won">Installed</span>${open}`;
}

export function marketplacePage(ctx: PageContext): string {
  const apps = [...ctx.world.apps.values()].sort((a, b) => a.id - b.id);
  const rows = apps
    .map((app) => {
      const installation = ctx.portal.installations.get(app.clientId);
      return `<div class="b24-app" data-client-id="${esc(app.clientId)}"><div class="b24-app__icon" aria-hidden="true">${esc(
        appName(app)
          .replace(/^(local|app)\./, "")[0]
          ?.toUpperCase() ?? "A",
      )}</div><div class="b24-app__body"><div class="b24-app__name">${esc(appName(app))}</div><div class="b24-muted">${esc(
        appKind(app),
      )} · version ${installation?.version ?? app.version} · <code>${esc(app.clientId)}</code></div>${scopesList(
        app,
      )}</div><div class="b24-app__status">${status(ctx, app, installation)}</div></div>`;
    })
    .join("");
  return renderPage(ctx, {
    title: "Marketplace",
    active: "marketplace",
    body: card(
      "Applications",
      rows ||
        '<p class="b24-empty">No applications registered. Register one with <code>POST /_emulator/apps</code>.</p>',
    ),
  });
}

function appFrame(
  ctx: PageContext,
  sessions: FrameSessions,
  app: AppRecord,
  installation: Installation,
  mode: "install" | "default",
  options: Record<string, unknown>,
): string {
  const handler = mode === "install" ? app.installUrl : app.appUrl;
  if (!handler) return notice("info", "This application has no page; it works in the background.");
  const refused = frameUrlProblem(ctx.world, handler);
  if (refused) return notice("error", refused);
  const descriptor = sessions.open({
    portal: ctx.portal,
    installation,
    userId: ctx.user.ID,
    placement: "DEFAULT",
    handler,
    options,
    uri: ctx.uri,
    install: mode === "install",
    domain: ctx.host,
    title: appName(app),
  });
  return `<div class="b24-card b24-card--frame">${frameMarkup(descriptor, mode === "install" ? 480 : 640)}</div>`;
}

/** `/marketplace/install/{clientId}/` after installApp: the installer in install mode, or "done". */
export function installProgressPage(
  ctx: PageContext,
  sessions: FrameSessions,
  app: AppRecord,
  installation: Installation,
  finishedFlag: boolean,
): string {
  let body: string;
  if (!installation.installed) {
    body = app.installUrl
      ? `${notice("info", "The application's installer is running. It becomes available when the installer finishes.")}${appFrame(ctx, sessions, app, installation, "install", {})}`
      : notice("warning", "The installation is not finished.");
  } else {
    const done = notice(
      "success",
      finishedFlag
        ? `${appName(app)} was installed: installation finished.`
        : `${appName(app)} is installed.`,
    );
    const open = app.appUrl
      ? `<p><a class="b24-btn b24-btn--primary" href="/marketplace/app/${app.id}/">Open the application</a></p>`
      : `<p class="b24-muted">This application has no pages: it works through the API and events. Installation is done.</p>`;
    // Right after installFinish the portal launches the app's main page (§2.3).
    const launched =
      finishedFlag && app.appUrl ? appFrame(ctx, sessions, app, installation, "default", {}) : open;
    body = `${done}${card(appName(app), `<div data-install-done>${launched}</div>`)}`;
  }
  return renderPage(ctx, { title: `Install ${appName(app)}`, active: "marketplace", body });
}

/** `/marketplace/app/{id}/`: the app's page (DEFAULT), the installer for admins, or the not-installed notice. */
export function appPage(
  ctx: PageContext,
  sessions: FrameSessions,
  app: AppRecord,
  installation: Installation,
  query: Record<string, string>,
): string {
  let body: string;
  if (!installation.installed) {
    body =
      ctx.user.ADMIN && app.installUrl
        ? `${notice("info", "The installation is not finished: the installer opens again.")}${appFrame(ctx, sessions, app, installation, "install", {})}`
        : notice("warning", NOT_FULLY_INSTALLED);
  } else {
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(query)) if (!SYSTEM_PARAMS.has(k)) options[k] = v;
    body = `${query.install_finished === "Y" ? notice("success", "Installation finished.") : ""}${appFrame(
      ctx,
      sessions,
      app,
      installation,
      "default",
      options,
    )}`;
  }
  return renderPage(ctx, { title: appName(app), active: `app:${app.id}`, body });
}

/** `/marketplace/app/{id}/placement/{bindingId}/`: a LEFT_MENU placement's page. */
export function menuPlacementPage(
  ctx: PageContext,
  sessions: FrameSessions,
  app: AppRecord,
  bindingId: number,
): { status: number; html: string } {
  const found = findBinding(ctx.portal, bindingId);
  const installation = ctx.portal.installations.get(app.clientId);
  if (
    !found ||
    !installation ||
    found.installation !== installation ||
    found.binding.placement !== "LEFT_MENU"
  ) {
    return {
      status: 404,
      html: renderPage(ctx, { title: "Not found", body: notice("error", "This menu item does not exist.") }),
    };
  }
  if (!installation.installed) {
    return {
      status: 403,
      html: renderPage(ctx, { title: appName(app), body: notice("warning", NOT_FULLY_INSTALLED) }),
    };
  }
  const title = placementTitle(found.binding, app);
  const refused = frameUrlProblem(ctx.world, found.binding.handler);
  if (refused) return { status: 403, html: renderPage(ctx, { title, body: notice("error", refused) }) };
  const descriptor = sessions.open({
    portal: ctx.portal,
    installation,
    userId: ctx.user.ID,
    placement: "LEFT_MENU",
    handler: found.binding.handler,
    options: {},
    uri: ctx.uri,
    domain: ctx.host,
    bindingId,
    title,
  });
  return {
    status: 200,
    html: renderPage(ctx, {
      title,
      active: `menu:${bindingId}`,
      body: `<div class="b24-card b24-card--frame">${frameMarkup(descriptor, 640)}</div>`,
    }),
  };
}
