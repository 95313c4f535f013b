import type { RobotHandler } from "@b24kit/app";
import { recomputeScore } from "./scoring.js";
import { readSettings } from "./settings.js";

/**
 * "Score this deal", a step an admin drops into a deal stage's automation:
 * the deal is scored as the tab scores it, the score written back, and the
 * score and its verdict returned to the portal for the automation's next steps.
 */
export const scoreThisDeal: RobotHandler = async (ctx) => {
  if (ctx.document.entity !== "DEAL" || !ctx.document.id) {
    ctx.log(`Deal insights scores deals only, not ${ctx.document.documentId.join("/")}`);
    return {};
  }
  const scored = await recomputeScore(
    { reader: ctx.client, writer: ctx.b24, kv: ctx.kv },
    ctx.document.id,
    await readSettings(ctx.appOptions),
    "robot",
  );
  const verdict = scored.reasons[0] ?? "";
  ctx.log(`Deal insights scored the deal ${scored.score}${verdict ? ` (${verdict})` : ""}`);
  return { score: scored.score, verdict };
};
