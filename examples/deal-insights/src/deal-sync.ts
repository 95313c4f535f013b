import type { EventHandler } from "@b24kit/app";
import { DealUnavailableError } from "./deal-snapshot.js";
import { recomputeScore } from "./scoring.js";
import { readSettings } from "./settings.js";

/**
 * ONCRMDEALUPDATE, run by the workers after the portal's POST was acknowledged:
 * the deal's score is recomputed and written back. The write goes through
 * ctx.b24 (auth_connector) and only when the score changed, so the update it
 * causes ends here on the next run. A deleted deal is nothing to retry.
 */
export const onDealUpdate: EventHandler<"ONCRMDEALUPDATE"> = async (ctx) => {
  const id = Number(ctx.data.FIELDS.ID);
  if (!Number.isInteger(id) || id <= 0) return;
  try {
    await recomputeScore(
      { reader: ctx.client, writer: ctx.b24, kv: ctx.kv },
      id,
      await readSettings(ctx.appOptions),
      "event",
    );
  } catch (error) {
    if (error instanceof DealUnavailableError && error.reason === "not-found") return;
    throw error;
  }
};
