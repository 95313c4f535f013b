import type { ApiHandler } from "@b24kit/app";
import { DealUnavailableError } from "./deal-snapshot.js";
import { recomputeScore } from "./scoring.js";
import { readSettings } from "./settings.js";

/** `b24kit.api("recompute", {dealId})` from the deal tab's button. */
export const recompute: ApiHandler = async (ctx) => {
  const dealId = Number((ctx.body as { dealId?: unknown } | null)?.dealId);
  if (!Number.isInteger(dealId) || dealId <= 0) return { error: "dealId must be a positive integer" };
  try {
    const result = await recomputeScore(
      { reader: ctx.client, writer: ctx.client, kv: ctx.kv },
      dealId,
      await readSettings(ctx.appOptions),
      "tab",
    );
    return { score: result.score, reasons: result.reasons, written: result.written };
  } catch (error) {
    if (error instanceof DealUnavailableError) return { error: error.message };
    throw error;
  }
};
