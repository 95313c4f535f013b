import type { PortalOptions, TenantKv } from "@b24kit/app";
import type { B24Client } from "@b24kit/rest";
import { isAccessDenied } from "./deal-snapshot.js";
import { recomputeScore } from "./scoring.js";
import { readSettings } from "./settings.js";

/** A press of a score button, as its user: the score, or why their CRM role stopped it. */
export type UserRecompute =
  | { outcome: "saved"; result: Awaited<ReturnType<typeof recomputeScore>> }
  | { outcome: "hidden"; message: string }
  | { outcome: "read-only"; message: string };

/**
 * Recomputes a deal's score on a user's click, with that user's rights: the deal is read as them
 * first (a deal their role hides is not recomputed on their click) and the score is written as them
 * (a role that may read the deal but not change it saves nothing). The snapshot itself is read as
 * the app, in one batch, as everywhere else.
 */
export async function recomputeAsUser(
  ctx: { asUser: B24Client; client: B24Client; kv: TenantKv; appOptions: PortalOptions },
  dealId: number,
  source: "button" | "tab",
): Promise<UserRecompute> {
  try {
    await ctx.asUser.call("crm.deal.get", { id: dealId });
  } catch (error) {
    if (isAccessDenied(error) || /not found/i.test(String((error as Error).message)))
      return {
        outcome: "hidden",
        message: "You do not have access to this deal in CRM, so its score was not changed.",
      };
    throw error;
  }
  try {
    const result = await recomputeScore(
      { reader: ctx.client, writer: ctx.asUser, kv: ctx.kv },
      dealId,
      await readSettings(ctx.appOptions),
      source,
    );
    return { outcome: "saved", result };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return {
      outcome: "read-only",
      message: "Your CRM role lets you see this deal but not change it, so its score was not saved.",
    };
  }
}
