import { type BotRecord, botById } from "../bots/bot-store.js";
import { v2BotById } from "../bots/v2-bot-store.js";
import type { CallContext } from "../calls/method-def.js";
import { asInt, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";

/*
 * Who an imbot.v2 call acts for (api-reference/chat-bots/chat-bots-v2/index.md,
 * "Authorization"): an OAuth app owns the bots it registered (v1 ones too, migration.md);
 * through an incoming webhook the `botToken` given at registration is the key.
 * The generic errors every method lists (change-log.md, BOT-NEW-0408-1).
 */

export function v2Fail(code: string, description: string, status = 400): RestError {
  return new RestError(status, code, description);
}

export function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

export type V2Owner = { app: string } | { token: string };

/** The caller as a bot owner; a webhook without a botToken gets BOT_TOKEN_NOT_SPECIFIED. */
export function v2Owner(ctx: CallContext, token: unknown = param(ctx.params, "botToken")): V2Owner {
  if (ctx.caller.kind === "oauth" && ctx.caller.clientId) return { app: ctx.caller.clientId };
  const value = text(token).trim();
  if (!value) throw v2Fail("BOT_TOKEN_NOT_SPECIFIED", "Bot token is not specified");
  return { token: value };
}

export function ownsBot(ctx: CallContext, owner: V2Owner, bot: BotRecord): boolean {
  if ("app" in owner) return !bot.WEBHOOK && bot.CLIENT_ID === owner.app;
  return v2BotById(ctx.portal, bot.ID)?.BOT_TOKEN === owner.token;
}

/** The bot of `botId`, owned by the caller (BOT_ID_REQUIRED, BOT_NOT_FOUND, BOT_OWNERSHIP_ERROR). */
export function ownedV2Bot(ctx: CallContext): { bot: BotRecord; owner: V2Owner } {
  const owner = v2Owner(ctx);
  const id = asInt(param(ctx.params, "botId")) ?? 0;
  if (id <= 0) throw v2Fail("BOT_ID_REQUIRED", "Bot ID is required");
  const bot = botById(ctx.portal, id);
  if (!bot) throw v2Fail("BOT_NOT_FOUND", "Bot not found");
  if (!ownsBot(ctx, owner, bot))
    throw v2Fail("BOT_OWNERSHIP_ERROR", "Bot is registered by another application", 403);
  return { bot, owner };
}

/** `true`/`false` or "Y"/"N" (index.md, "Boolean Parameters"); undefined when absent. */
export function v2Flag(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  return ["y", "1", "true"].includes(text(value).trim().toLowerCase());
}
