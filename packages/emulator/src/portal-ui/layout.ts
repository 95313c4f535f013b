import type { Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { esc } from "./html.js";
import { appName, userMayUseApp, visiblePlacements } from "./visibility.js";

/** What every page is rendered with: the portal, the UI user and the request's own host. */
export interface PageContext {
  world: World;
  portal: Portal;
  user: PortalUser;
  /** The page's own host (with port), as the browser addressed it. */
  host: string;
  /** Path and query of the page (PLACEMENT_OPTIONS.URI). */
  uri: string;
  /** `?IFRAME=Y`: the page is shown in a slider, without menu and top bar. */
  bare: boolean;
}

export interface PageSpec {
  title: string;
  /** Menu item to highlight: "crm", "tasks", "chat", "marketplace", "app:<id>", "menu:<bindingId>". */
  active?: string;
  /** Buttons next to the page title (markup). */
  actions?: string;
  body: string;
}

export function userName(user: PortalUser | undefined): string {
  if (!user) return "";
  return [user.NAME, user.LAST_NAME].filter(Boolean).join(" ") || `User ${user.ID}`;
}

/** Users a person can act as in the switcher: active people, bots excluded. */
export function switchableUsers(portal: Portal): PortalUser[] {
  return [...portal.users.values()].filter((u) => !u.IS_BOT).sort((a, b) => a.ID - b.ID);
}

function menuItem(href: string, label: string, icon: string, active: boolean, extra = ""): string {
  return `<a class="b24-menu__item${active ? " is-active" : ""}" href="${esc(href)}"${extra}><span class="b24-menu__icon" aria-hidden="true">${icon}</span><span class="b24-menu__label">${esc(label)}</span></a>`;
}

function leftMenu(ctx: PageContext, active: string | undefined): string {
  const { world, portal, user } = ctx;
  const items = [
    menuItem("/crm/deal/list/", "CRM", "◎", active === "crm"),
    menuItem(`/company/personal/user/${user.ID}/tasks/`, "Tasks", "✓", active === "tasks"),
    menuItem("/online/", "Chat", "✉", active === "chat"),
    menuItem("/marketplace/", "Marketplace", "▦", active === "marketplace"),
  ];
  const apps: string[] = [];
  for (const installation of portal.installations.values()) {
    const app = world.apps.get(installation.clientId);
    if (!app || !userMayUseApp(installation, user)) continue;
    if (!app.appUrl && !app.installUrl) continue;
    apps.push(menuItem(`/marketplace/app/${app.id}/`, appName(app), "◆", active === `app:${app.id}`));
  }
  for (const item of visiblePlacements(world, portal, user, "LEFT_MENU")) {
    apps.push(
      menuItem(
        `/marketplace/app/${item.app.id}/placement/${item.binding.id}/`,
        item.title,
        "★",
        active === `menu:${item.binding.id}`,
        ` data-placement="LEFT_MENU"`,
      ),
    );
  }
  return `<nav class="b24-menu" aria-label="Main menu">${items.join("")}${
    apps.length ? `<div class="b24-menu__section">Applications</div>${apps.join("")}` : ""
  }</nav>`;
}

function topBar(ctx: PageContext): string {
  const { portal, user } = ctx;
  const options = switchableUsers(portal)
    .map(
      (u) =>
        `<option value="${u.ID}"${u.ID === user.ID ? " selected" : ""}>${esc(userName(u))}${u.ADMIN ? " (admin)" : ""}</option>`,
    )
    .join("");
  return `<header class="b24-top">
<a class="b24-top__logo" href="/" title="b24kit emulator: a local stand-in for a Bitrix24 portal"><span class="b24-top__brand">Bitrix<b>24</b></span><span class="b24-top__badge">emulator</span><span class="b24-top__domain">${esc(ctx.host)}</span></a>
<div class="b24-top__spacer"></div>
<form class="b24-switcher" method="post" action="/_portal/ui-user" data-ui-user-form>
<input type="hidden" name="back" value="${esc(ctx.uri)}">
<label class="b24-switcher__label" for="b24-ui-user">Acting as</label>
<select id="b24-ui-user" name="userId" data-ui-user>${options}</select>
<noscript><button class="b24-btn" type="submit">Switch</button></noscript>
</form>
<a class="b24-top__avatar" href="/company/personal/user/${user.ID}/" title="${esc(userName(user))}">${esc(initials(user))}</a>
</header>`;
}

function initials(user: PortalUser): string {
  return ((user.NAME[0] ?? "") + (user.LAST_NAME[0] ?? "")).toUpperCase() || String(user.ID);
}

/** A whole page: top bar, left menu and the content area (or the content alone in slider mode). */
export function renderPage(ctx: PageContext, spec: PageSpec): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.title)} — ${esc(ctx.host)}</title>
<link rel="stylesheet" href="/_portal/assets/portal.css">
<script src="/_portal/assets/portal.js" defer></script></head>`;
  const title = `<div class="b24-page__head"><h1 class="b24-page__title" data-page-title>${esc(spec.title)}</h1>${
    spec.actions ? `<div class="b24-page__actions">${spec.actions}</div>` : ""
  }</div>`;
  if (ctx.bare) {
    return `${head}<body class="b24 b24--bare" data-user-id="${ctx.user.ID}"><main class="b24-page">${title}${spec.body}</main></body></html>`;
  }
  return `${head}<body class="b24" data-user-id="${ctx.user.ID}">${topBar(ctx)}<div class="b24-layout">${leftMenu(
    ctx,
    spec.active,
  )}<main class="b24-page">${title}${spec.body}</main></div></body></html>`;
}
