import type { B24App } from "@b24kit/app";
import { DEAL_HEALTH } from "../field-type.js";

/** The deal field the demo makes of the app's type: UF_CRM_ + this name (crm-deal-userfield-add.md). */
export const DEAL_HEALTH_FIELD = "UF_CRM_DEAL_HEALTH";

/**
 * Adds a "Deal health" field of the app's type to the portal's deals, once: a
 * portal admin would do this in the CRM's field settings; the demo does it as
 * the app, so the card shows the app's frame at first start. The type's full
 * code is `rest_<app id>_<code>` (userfieldtype-add.md), the id from app.info.
 */
export async function ensureDealHealthField(app: B24App, memberId: string): Promise<void> {
  const client = app.forPortal(memberId);
  const existing = await client.call<Array<{ FIELD_NAME: string }>>("crm.deal.userfield.list", {
    filter: { FIELD_NAME: DEAL_HEALTH_FIELD },
  });
  if (existing.result.some((f) => f.FIELD_NAME === DEAL_HEALTH_FIELD)) return;
  const info = await client.call<{ ID: number | string }>("app.info");
  await client.call("crm.deal.userfield.add", {
    fields: {
      FIELD_NAME: DEAL_HEALTH_FIELD.replace(/^UF_CRM_/, ""),
      USER_TYPE_ID: `rest_${info.result.ID}_${DEAL_HEALTH}`,
      XML_ID: "DEAL_HEALTH",
      EDIT_FORM_LABEL: { en: "Deal health" },
      LIST_COLUMN_LABEL: { en: "Deal health" },
    },
  });
}
