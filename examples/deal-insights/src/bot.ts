import type { BotHandlers, TenantKv } from "@b24kit/app";
import type { B24Client } from "@b24kit/rest";
import { DealUnavailableError } from "./deal-snapshot.js";
import { recomputeScore, storedScores } from "./scoring.js";
import { readSettings } from "./settings.js";

/** What the bot needs beyond its event: the portal's client (batch reads) and the app's store. */
export interface BotDeps {
  clientFor(memberId: string): B24Client;
  kvFor(memberId: string): TenantKv;
  optionsFor(memberId: string): Parameters<typeof readSettings>[0];
}

const NOT_YOURS =
  "I can only tell you about deals you are responsible for. Open the deal's Insights tab instead: it shows what your CRM role allows.";

const HELP = [
  "I score deals. Try:",
  "/deal 42 — the score of deal 42 and why",
  "/top — your best-scored deals",
  "/help — this list",
].join("\n");

/**
 * The "Insights" chat bot: answers commands in private and group chats (where it is mentioned).
 * One handler set serves it on Chatbots 2.0 (`insights_v2`) and on the classic API (`insights`).
 */
export function insightsBot(deps: BotDeps): BotHandlers {
  const insights: BotHandlers[string] = {
    commands: {
      help: () => HELP,
      deal: async (ctx) => {
        const id = Number(ctx.args[0]);
        if (!Number.isInteger(id) || id <= 0) return "Which deal? Write its number, e.g. /deal 42";
        const client = deps.clientFor(ctx.memberId);
        try {
          // Bot events bring no token of the author's to the workers, and the app's own client sees every
          // deal: so the bot speaks only of deals the author is responsible for, never past their CRM role.
          const owner = await client
            .call<{ ASSIGNED_BY_ID?: string }>("crm.deal.get", { id })
            .then((r) => Number(r.result.ASSIGNED_BY_ID))
            .catch(() => undefined);
          if (owner !== ctx.fromUserId) return NOT_YOURS;
          const settings = await readSettings(deps.optionsFor(ctx.memberId));
          const result = await recomputeScore(
            { reader: client, writer: client, kv: deps.kvFor(ctx.memberId) },
            id,
            settings,
            "bot",
          );
          return `Deal ${id} "${result.title}": score ${result.score}.\n${result.reasons.map((r) => `• ${r}`).join("\n")}`;
        } catch (error) {
          if (error instanceof DealUnavailableError) return error.message;
          throw error;
        }
      },
      top: async (ctx) => {
        const mine = (await storedScores(deps.kvFor(ctx.memberId))).filter(
          (s) => s.assignedTo === ctx.fromUserId,
        );
        const top = mine.slice(0, 5);
        if (top.length === 0) return "None of your deals has a score yet. Ask me about one: /deal 42";
        return top.map((s, i) => `${i + 1}. ${s.title} — ${s.score}`).join("\n");
      },
    },
    join: (ctx) => `Hello${ctx.user?.firstName ? `, ${ctx.user.firstName}` : ""}! ${HELP}`,
    message: () => `I answer commands only.\n${HELP}`,
  };
  return { insights_v2: insights, insights };
}
