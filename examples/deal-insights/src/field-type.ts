import type { FieldTypeContext, FieldTypeHandlers } from "@b24kit/app";
import { type StoredScore, scoreKey } from "./scoring.js";
import { dealHealthEdit, dealHealthView, type Health, isHealth } from "./views/deal-health.js";
import { STYLE } from "./views/html.js";

/** The app's field type code (the portal names it `rest_<app id>_deal_health`). */
export const DEAL_HEALTH = "deal_health";

/** VALUE as the portal sends it: a string, or the first of a list; anything else is "not set". */
function storedHealth(ctx: FieldTypeContext): Health | undefined {
  const raw = Array.isArray(ctx.field.value) ? ctx.field.value[0] : ctx.field.value;
  return isHealth(raw) ? raw : undefined;
}

/** What the deal's last computed score suggests, for a field nobody has set yet. */
async function suggestion(ctx: FieldTypeContext): Promise<Health | undefined> {
  const id = Number(ctx.field.entityValueId);
  if (ctx.field.entityId !== "CRM_DEAL" || !Number.isInteger(id) || id <= 0) return undefined;
  const last = (await ctx.kv.get(scoreKey(id))) as unknown as StoredScore | undefined;
  if (!last) return undefined;
  return last.score >= 60 ? "green" : last.score >= 30 ? "amber" : "red";
}

/**
 * "Deal health", a field type: a manager's judgement of a deal (on track,
 * needs attention, at risk) kept in the deal's own field, rendered by the app
 * in the card. The score's suggestion shows while the field is empty.
 */
export const dealHealth: FieldTypeHandlers = {
  view: async (ctx) =>
    ctx.page({
      title: "Deal health",
      head: STYLE,
      body: dealHealthView(storedHealth(ctx), await suggestion(ctx)),
    }),
  edit: (ctx) => ctx.page({ title: "Deal health", head: STYLE, body: dealHealthEdit(storedHealth(ctx)) }),
};
