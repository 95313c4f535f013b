import { B24Error, type MethodCaller } from "@b24kit/rest";
import type { ManifestBot } from "../manifest/app-manifest.js";
import { noteRefusal } from "../manifest/binding-attempt.js";

/** What reconciling the bots adds to the apply report. */
export interface BotApplyResult {
  bound: string[];
  unbound: string[];
  kept: string[];
  failed: Array<{ binding: string; code: string; message: string }>;
  /** Bot ids by code of the manifest's bots the portal has now. */
  bots: Record<string, number>;
}

/** imbot.register's parameters for a manifest bot (chat-bots/outdated/bots/imbot-register.md). */
export function registerParams(bot: ManifestBot, handler: string): Record<string, unknown> {
  return {
    CODE: bot.code,
    TYPE: bot.type ?? "B",
    // One URL for every bot event (copied to EVENT_MESSAGE_ADD, EVENT_WELCOME_MESSAGE, EVENT_BOT_DELETE, …).
    EVENT_HANDLER: handler,
    ...(bot.openline !== undefined ? { OPENLINE: bot.openline ? "Y" : "N" } : {}),
    PROPERTIES: {
      NAME: bot.name,
      ...(bot.lastName ? { LAST_NAME: bot.lastName } : {}),
      ...(bot.color ? { COLOR: bot.color } : {}),
      ...(bot.workPosition ? { WORK_POSITION: bot.workPosition } : {}),
    },
  };
}

/**
 * Makes the portal's bots match the manifest (docs/protocol.md §12.1):
 * unregisters the bots of `previous` (the ids an earlier apply reported) whose
 * code the manifest no longer has, then `imbot.register`s every manifest bot —
 * the portal answers an existing CODE of the app with its bot (and binds its
 * handlers again), so this is idempotent. A bot whose id is the one `previous`
 * names is `kept`, otherwise `bound`. Refusals (no imbot scope, im off, the
 * 5-bot limit) go to `failed`; nothing else is skipped because of them.
 */
export async function applyBots(
  client: MethodCaller,
  bots: readonly ManifestBot[],
  handler: string,
  previous: Readonly<Record<string, number>> = {},
  /** Codes another reconciliation owns (the app's v2 bots): never unregistered here. */
  others: ReadonlySet<string> = new Set(),
): Promise<BotApplyResult> {
  const out: BotApplyResult = { bound: [], unbound: [], kept: [], failed: [], bots: {} };
  const refused = (binding: string, error: unknown) => noteRefusal(out.failed, binding, error);
  const wanted = new Set(bots.map((b) => b.code));

  // Stale ones first: freeing their slots lets replacements fit under the 5-bot limit.
  for (const [code, botId] of Object.entries(previous)) {
    if (wanted.has(code) || others.has(code) || !Number.isInteger(botId) || botId <= 0) continue;
    try {
      await client.call("imbot.unregister", { BOT_ID: botId });
      out.unbound.push(`bot ${code}`);
    } catch (error) {
      // Already gone (deleted by hand, or an earlier apply got this far): nothing left to do.
      if (error instanceof B24Error && error.code === "BOT_ID_ERROR") out.unbound.push(`bot ${code}`);
      else refused(`bot ${code}`, error);
    }
  }

  for (const bot of bots) {
    try {
      const registered = await client.call<number | string>("imbot.register", registerParams(bot, handler));
      const botId = Number(registered.result);
      if (!Number.isInteger(botId) || botId <= 0) {
        out.failed.push({
          binding: `bot ${bot.code}`,
          code: "UNEXPECTED_RESULT",
          message: `imbot.register answered ${JSON.stringify(registered.result)} instead of a bot id`,
        });
        continue;
      }
      out.bots[bot.code] = botId;
      (previous[bot.code] === botId ? out.kept : out.bound).push(`bot ${bot.code}`);
    } catch (error) {
      refused(`bot ${bot.code}`, error);
    }
  }
  return out;
}
