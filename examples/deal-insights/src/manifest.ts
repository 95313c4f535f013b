import type { AppManifestInput } from "@b24kit/app";

/**
 * What Deal insights is on a portal: a tab on deal and contact cards, a toolbar
 * button on deals, a left-menu dashboard, the Insights chat bot on both bot APIs
 * (Chatbots 2.0, and the classic one it migrated from), an automation robot, a field type,
 * and the deal events it scores from. Bump `version` whenever a binding changes: portals re-apply it.
 */
export const MANIFEST: AppManifestInput = {
  version: "4",
  scopes: ["crm", "placement", "user", "task", "imbot", "bizproc"],
  placements: [
    { placement: "CRM_DEAL_DETAIL_TAB", title: "Insights" },
    { placement: "CRM_CONTACT_DETAIL_TAB", title: "Insights" },
    { placement: "CRM_DEAL_DETAIL_TOOLBAR", title: "Recompute score" },
    { placement: "LEFT_MENU", title: "Deal insights" },
  ],
  events: [{ event: "ONCRMDEALUPDATE", offline: true }],
  bots: [
    // Chatbots 2.0 (imbot.v2): the one to copy.
    {
      code: "insights_v2",
      api: "v2",
      name: "Insights",
      color: "AQUA",
      workPosition: "Deal scores on request",
    },
    // The classic bot (imbot.register) it migrated from: same handlers, kept as the before of the migration.
    {
      code: "insights",
      name: "Insights (classic)",
      color: "AQUA",
      workPosition: "Deal scores on request",
    },
  ],
  fieldTypes: [
    {
      code: "deal_health",
      title: "Deal health",
      description: "On track, needs attention or at risk, with the Deal insights score's suggestion",
      height: 48,
    },
  ],
  robots: [
    {
      code: "score_deal",
      name: "Score this deal",
      description: "Scores the deal with Deal insights and writes the score to its probability",
      returnProperties: {
        score: { name: "Score", type: "int" },
        verdict: { name: "Main reason", type: "string" },
      },
      documents: ["deal"],
    },
  ],
  requires: { methods: ["crm.deal.get", "crm.deal.list", "crm.deal.update"] },
  optional: { methods: ["crm.contact.get", "crm.company.get", "tasks.task.list"] },
};

/** The app's name as the portal shows it (registration, page titles). */
export const APP_NAME = "Deal insights";
