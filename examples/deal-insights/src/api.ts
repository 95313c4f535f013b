import type { ApiHandler } from "@b24kit/app";
import { recomputeAsUser } from "./user-recompute.js";

/**
 * `b24kit.api("recompute", {dealId})` from the deal tab's button. It acts as the user who pressed it
 * (`ctx.asUser`, the AUTH_ID b24kit.api() sends): the app's own rights would let any user who can open
 * the tab change a deal their role may only read.
 */
export const recompute: ApiHandler = async (ctx) => {
  const dealId = Number((ctx.body as { dealId?: unknown } | null)?.dealId);
  if (!Number.isInteger(dealId) || dealId <= 0) return { error: "dealId must be a positive integer" };
  const pressed = await recomputeAsUser(ctx, dealId, "tab");
  if (pressed.outcome !== "saved") return { error: pressed.message };
  const { score, reasons, written } = pressed.result;
  return { score, reasons, written };
};
