import type { FrameDescriptor } from "./frame-sessions.js";
import { esc, jsonAttr } from "./html.js";
import type { VisiblePlacement } from "./visibility.js";

/*
 * Markup of app frames (docs/protocol.md §9.2): an <iframe name="DOMAIN|PROTOCOL|APP_SID">
 * and a hidden form POSTing the §2.2 payload into it. Frames rendered by the
 * server submit on load; placement tabs and buttons carry what the client
 * script asks /_portal/frame/open for when they are first shown.
 */

/** What the client needs besides the form to talk to a frame. */
function frameMeta(d: FrameDescriptor): Record<string, unknown> {
  return {
    sid: d.sid,
    origin: d.origin,
    placement: d.placement,
    clientId: d.clientId,
    title: d.title,
    install: d.install,
    plainGet: d.plainGet,
    action: d.action,
  };
}

/** A frame the page opens as soon as it loads. */
export function frameMarkup(d: FrameDescriptor, height = 600): string {
  const inputs = Object.entries(d.fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  return `<div class="b24-frame" data-frame="${jsonAttr(frameMeta(d))}" data-autoload="1">
<iframe class="b24-frame__iframe" name="${esc(d.name)}" title="${esc(d.title || d.placement)}" style="height:${height}px"></iframe>
<form class="b24-frame__form" method="post" action="${esc(d.action)}" target="${esc(d.name)}" hidden>${inputs}</form>
</div>`;
}

/** What the client sends to /_portal/frame/open for a placement on this page. */
export interface PlacementOpenRequest {
  clientId: string;
  bindingId: number;
  placement: string;
  options: Record<string, unknown>;
  title: string;
}

export function openRequest(item: VisiblePlacement, options: Record<string, unknown>): PlacementOpenRequest {
  return {
    clientId: item.installation.clientId,
    bindingId: item.binding.id,
    placement: item.binding.placement,
    options,
    title: item.title,
  };
}

/** Toolbar buttons that open placements in a slider; the visible text is the placement's TITLE. */
export function placementButtons(items: VisiblePlacement[], options: Record<string, unknown>): string {
  return items
    .map(
      (item) =>
        `<button type="button" class="b24-btn b24-btn--light" data-placement-open="${jsonAttr(openRequest(item, options))}" title="${esc(item.app.code)}">${esc(item.title)}</button>`,
    )
    .join("");
}

/**
 * A tab strip: the first tab holds `general`, then one tab per placement whose
 * visible text is its TITLE; a placement's frame is opened when its tab is first shown.
 */
export function tabStrip(
  generalLabel: string,
  general: string,
  items: VisiblePlacement[],
  options: Record<string, unknown>,
): string {
  const tabs = [
    `<button type="button" class="b24-tabs__tab is-active" role="tab" aria-selected="true" data-tab="general">${esc(generalLabel)}</button>`,
    ...items.map(
      (item) =>
        `<button type="button" class="b24-tabs__tab" role="tab" aria-selected="false" data-tab="p${item.binding.id}" data-placement="${esc(item.binding.placement)}">${esc(item.title)}</button>`,
    ),
  ];
  const panels = [
    `<div class="b24-tabs__panel is-active" role="tabpanel" data-panel="general">${general}</div>`,
    ...items.map(
      (item) =>
        `<div class="b24-tabs__panel" role="tabpanel" data-panel="p${item.binding.id}" hidden><div class="b24-card b24-card--frame"><div class="b24-frame" data-open="${jsonAttr(openRequest(item, options))}"></div></div></div>`,
    ),
  ];
  return `<div class="b24-tabs"><div class="b24-tabs__strip" role="tablist">${tabs.join("")}</div>${panels.join("")}</div>`;
}
