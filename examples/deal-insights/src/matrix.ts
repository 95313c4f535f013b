/**
 * What `b24kit matrix` does with Deal insights on every portal it tries (packages/cli/README.md,
 * "b24kit matrix"): each tab and button opened on the first seeded deal or contact, the dashboard in
 * the left menu and as the app's page, a deal moved to another stage (the ONCRMDEALUPDATE handler
 * rescored it when the deal's `score:{id}` in the app's store changes), the bot asked about a deal, and
 * the Score this deal robot placed on the invoice stage (as test/browser.test.ts places it) and run, and
 * a Deal health field of the deal opened in the card's edit form (view mode for a user who may not edit).
 * Plain data: placeholders in braces are filled per portal.
 */
export { MANIFEST as manifest } from "./manifest.js";

export const scenarios = [
  { kind: "placement", name: "deal tab", placement: "CRM_DEAL_DETAIL_TAB", options: { ID: "{deal}" } },
  {
    kind: "placement",
    name: "contact tab",
    placement: "CRM_CONTACT_DETAIL_TAB",
    options: { ID: "{contact}" },
  },
  {
    kind: "placement",
    name: "score button",
    placement: "CRM_DEAL_DETAIL_TOOLBAR",
    options: { ID: "{deal}" },
  },
  { kind: "placement", name: "left menu", placement: "LEFT_MENU" },
  { kind: "page", name: "app page" },
  {
    kind: "event",
    name: "deal moved",
    event: "ONCRMDEALUPDATE",
    change: { method: "crm.deal.update", params: { id: "{deal}", fields: { STAGE_ID: "EXECUTING" } } },
    effect: { kv: "score:{deal}" },
  },
  { kind: "bot", name: "bot /deal", bot: "insights", message: "/deal {deal}" },
  {
    kind: "robot",
    name: "score robot",
    robot: "score_deal",
    stage: "FINAL_INVOICE",
    expect: { returnValues: { score: "^\\d+$" } },
  },
  { kind: "field", name: "health field", fieldType: "deal_health", mode: "edit" },
];
