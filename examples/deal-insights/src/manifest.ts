import type { AppManifestInput } from "@b24kit/app";

/**
 * What Deal insights is on a portal: a tab on deal and contact cards, a toolbar
 * button on deals, a left-menu dashboard, one chat bot, an automation robot,
 * and the deal events it scores from. Bump `version` whenever a binding changes: portals re-apply it.
 */
export const MANIFEST: AppManifestInput = {
  version: "3",
  scopes: ["crm", "placement", "user", "task", "imbot", "bizproc"],
  placements: [
    { placement: "CRM_DEAL_DETAIL_TAB", title: "Insights" },
    { placement: "CRM_CONTACT_DETAIL_TAB", title: "Insights" },
    { placement: "CRM_DEAL_DETAIL_TOOLBAR", title: "Recompute score" },
    { placement: "LEFT_MENU", title: "Deal insights" },
  ],
  events: [{ event: "ONCRMDEALUPDATE", offline: true }],
  bots: [{ code: "insights", name: "Insights", color: "AQUA", workPosition: "Deal scores on request" }],
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
