import { B24Error, type MethodCaller } from "@b24kit/rest";
import type { ManifestBot } from "../manifest/app-manifest.js";
import { noteRefusal } from "../manifest/binding-attempt.js";
import type { BotApplyResult } from "./apply-bots.js";

interface V2Bot {
  id: number | string;
  code: string;
}

/** What a v2 bot's fields say about it besides its code and type (chat-bots-v2/imbot.v2/bots/bot-update.md). */
function v2Fields(bot: ManifestBot, webhookUrl: string): Record<string, unknown> {
  return {
    // Events POSTed to the runtime's events URL, which verifies them like any other event.
    eventMode: "webhook",
    webhookUrl,
    ...(bot.openline !== undefined ? { isSupportOpenline: bot.openline } : {}),
    properties: {
      name: bot.name,
      ...(bot.lastName ? { lastName: bot.lastName } : {}),
      ...(bot.color ? { color: bot.color } : {}),
      ...(bot.workPosition ? { workPosition: bot.workPosition } : {}),
    },
  };
}

/** The app's v2 bots as the portal lists them; undefined when it refuses (no imbot scope, no Chatbots 2.0). */
export async function listV2Bots(client: MethodCaller): Promise<V2Bot[] | undefined> {
  try {
    const listed = await client.call<{ bots?: V2Bot[] }>("imbot.v2.Bot.list", { limit: 100 });
    return listed.result?.bots ?? [];
  } catch (error) {
    if (error instanceof B24Error) return undefined;
    throw error;
  }
}

/**
 * Makes the portal's Chatbots 2.0 bots match the manifest's `api: "v2"` bots:
 * unregisters the listed ones whose code the manifest no longer has at all,
 * registers each v2 bot (idempotent by code: the portal returns the existing
 * bot unchanged, bot-register.md) and updates one that was there already, so
 * a changed name or webhook URL reaches the portal. OAuth calls: no botToken.
 */
export async function applyV2Bots(
  client: MethodCaller,
  bots: readonly ManifestBot[],
  webhookUrl: string,
  listed: readonly V2Bot[] | undefined,
  manifestCodes: ReadonlySet<string>,
): Promise<BotApplyResult> {
  const out: BotApplyResult = { bound: [], unbound: [], kept: [], failed: [], bots: {} };
  const wanted = bots.filter((bot) => bot.api === "v2");
  for (const bot of listed ?? []) {
    if (manifestCodes.has(bot.code)) continue;
    try {
      await client.call("imbot.v2.Bot.unregister", { botId: Number(bot.id) });
      out.unbound.push(`bot ${bot.code}`);
    } catch (error) {
      if (error instanceof B24Error && error.code === "BOT_NOT_FOUND") out.unbound.push(`bot ${bot.code}`);
      else noteRefusal(out.failed, `bot ${bot.code}`, error);
    }
  }
  for (const bot of wanted) {
    const fields = v2Fields(bot, webhookUrl);
    try {
      const present = listed?.find((b) => b.code === bot.code);
      let botId = Number(present?.id);
      if (present) {
        await client.call("imbot.v2.Bot.update", { botId, fields });
      } else {
        const registered = await client.call<{ bot?: { id?: number | string } }>("imbot.v2.Bot.register", {
          fields: { code: bot.code, type: bot.type ?? "bot", ...fields },
        });
        botId = Number(registered.result?.bot?.id);
      }
      if (!Number.isInteger(botId) || botId <= 0) {
        out.failed.push({
          binding: `bot ${bot.code}`,
          code: "UNEXPECTED_RESULT",
          message: "imbot.v2.Bot.register answered without a bot id",
        });
        continue;
      }
      out.bots[bot.code] = botId;
      (present ? out.kept : out.bound).push(`bot ${bot.code}`);
    } catch (error) {
      noteRefusal(out.failed, `bot ${bot.code}`, error);
    }
  }
  return out;
}
