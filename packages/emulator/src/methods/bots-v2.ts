import { type BotRecord, botByCode, botById, botsOfClient, storeBot } from "../bots/bot-store.js";
import { unregisterBot } from "../bots/chat-actions.js";
import {
  botsOfToken,
  classicType,
  type EventMode,
  MAX_V2_BOTS_PER_APP,
  storeV2Bot,
  V2_BOT_TYPES,
  type V2BotRecord,
  type V2BotType,
  v2BotById,
} from "../bots/v2-bot-store.js";
import { subscribeV2, unsubscribeV2 } from "../bots/v2-events.js";
import { v2Bot, v2Users } from "../bots/v2-views.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, param } from "../calls/params.js";
import { hex } from "../ids.js";
import { handlerUrlProblem } from "../placements/handler-url.js";
import { ownedV2Bot, ownsBot, text, type V2Owner, v2Fail, v2Flag, v2Owner } from "./bot-v2-access.js";

/*
 * Chatbots 2.0 bots: imbot.v2.Bot.register/update/unregister/list/get
 * (api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/). A v2 bot is a classic bot
 * row (same user, same chats) plus its v2 settings (bots/v2-bot-store.ts).
 */

/** botToken length limit (bot-register.md) and the date register starts enforcing it (change-log.md, BOT-BC-0506-1). */
const MAX_TOKEN_LENGTH = 40;
const TOKEN_LIMIT_FROM_MS = Date.UTC(2026, 7, 6);

/** Chat backgrounds (bot-register.md, "Available Backgrounds"); anything else is normalized to null. */
const BACKGROUNDS = ["azure", "mint", "steel", "slate", "teal", "cornflower", "sky", "peach", "frost"];

function background(value: unknown): string | null {
  const id = text(value).trim();
  return BACKGROUNDS.includes(id) ? id : null;
}

function eventMode(value: unknown): EventMode {
  const mode = text(value).trim() || "fetch";
  if (mode !== "fetch" && mode !== "webhook") throw v2Fail("BOT_INVALID_EVENT_MODE", "Invalid event mode");
  return mode;
}

function callbackUrl(ctx: CallContext, value: unknown): string {
  const url = text(value).trim();
  if (url && handlerUrlProblem(url, ctx.world.settings.requireHttpsHandlers))
    throw v2Fail("BOT_INVALID_CALLBACK", "Invalid callback URL");
  return url;
}

/** `properties.gender` and `color`: kept when valid, else left as they were. */
function gender(value: unknown): "M" | "F" | undefined {
  const g = text(value).trim().toUpperCase();
  return g === "M" || g === "F" ? g : undefined;
}

/** `{bot, users}` of register and update: the extended Bot object and the bot's user. */
function answer(ctx: CallContext, bot: BotRecord) {
  return { result: { bot: v2Bot(ctx.portal, bot, true), users: v2Users(ctx.portal, [bot.ID], ctx.nowMs) } };
}

/** Bots of the caller: an app's (v1 ones too) or a botToken's. */
function ownBots(ctx: CallContext, owner: V2Owner): BotRecord[] {
  return "app" in owner
    ? botsOfClient(ctx.portal, owner.app).filter((b) => !b.WEBHOOK)
    : botsOfToken(ctx.portal, owner.token);
}

/** Brings an app bot's ONIMBOTV2* bindings in line with its mode and URL (bot-update.md). */
function resubscribe(ctx: CallContext, bot: BotRecord, v2: V2BotRecord): void {
  if (v2.BOT_TOKEN) return;
  const installation = ctx.portal.installations.get(bot.CLIENT_ID);
  if (!installation) return;
  // With neighbours under the same app the cleanup is skipped (bot-update.md's note).
  if (botsOfClient(ctx.portal, bot.CLIENT_ID).length <= 1) unsubscribeV2(installation);
  if (v2.EVENT_MODE === "webhook" && v2.WEBHOOK_URL) subscribeV2(ctx.world, installation, v2.WEBHOOK_URL);
}

function register(ctx: CallContext) {
  const fields = asRecord(param(ctx.params, "fields"));
  const owner = v2Owner(ctx, fields.botToken ?? param(ctx.params, "botToken"));
  const code = text(fields.code).trim();
  if (!code) throw v2Fail("BOT_CODE_REQUIRED", "Bot code is required");
  const props = asRecord(fields.properties);
  const name = text(props.name).trim();
  if (!name) throw v2Fail("BOT_PROPERTIES_REQUIRED", "Bot properties are required");
  const type = (text(fields.type).trim() || "bot") as V2BotType;
  if (!V2_BOT_TYPES.includes(type)) throw v2Fail("BOT_INVALID_TYPE", "Invalid bot type");
  const mode = eventMode(fields.eventMode);
  const url = callbackUrl(ctx, fields.webhookUrl);
  if (mode === "webhook" && !url) throw v2Fail("BOT_WEBHOOK_URL_REQUIRED", "Webhook URL is required");
  if ("token" in owner && owner.token.length > MAX_TOKEN_LENGTH && ctx.nowMs >= TOKEN_LIMIT_FROM_MS)
    throw v2Fail("BOT_TOKEN_INVALID_LENGTH", "Bot token is too long");

  // Idempotent: the same owner gets its bot back, unchanged (bot-register.md).
  const existing = botByCode(ctx.portal, code);
  if (existing) {
    if (!ownsBot(ctx, owner, existing)) throw v2Fail("BOT_CODE_ALREADY_TAKEN", "Bot code is already taken");
    const v2 = v2BotById(ctx.portal, existing.ID);
    if (v2?.EVENT_MODE === "webhook") resubscribe(ctx, existing, v2);
    return answer(ctx, existing);
  }
  if (ownBots(ctx, owner).length >= MAX_V2_BOTS_PER_APP)
    throw v2Fail("BOT_LIMIT_EXCEEDED", "Bot limit exceeded");

  const user = ctx.portal.addUser({
    NAME: name,
    LAST_NAME: text(props.lastName).trim(),
    WORK_POSITION: text(props.workPosition),
    PERSONAL_GENDER: gender(props.gender) ?? "",
    ADMIN: false,
    UF_DEPARTMENT: [],
    IS_BOT: true,
  });
  const openline = v2Flag(fields.isSupportOpenline) ?? type === "openline";
  const byToken = "token" in owner;
  const bot = storeBot(ctx.portal, {
    ID: user.ID,
    CODE: code,
    TYPE: classicType(type),
    OPENLINE: openline ? "Y" : "N",
    // botToken bots belong to no app: no classic CLIENT_ID can reach them.
    CLIENT_ID: "app" in owner ? owner.app : "",
    WEBHOOK: byToken,
    APPLICATION_TOKEN: "",
    REGISTERED_BY: ctx.user.ID,
    COLOR: text(props.color).trim(),
    DATE_CREATE: ctx.nowMs,
    EVENT_MESSAGE_ADD: "",
    EVENT_WELCOME_MESSAGE: "",
    EVENT_BOT_DELETE: "",
    EVENT_MESSAGE_UPDATE: "",
    EVENT_MESSAGE_DELETE: "",
  });
  storeV2Bot(ctx.portal, {
    ID: bot.ID,
    TYPE: type,
    EVENT_MODE: mode,
    WEBHOOK_URL: url,
    BOT_TOKEN: byToken ? owner.token : "",
    APPLICATION_TOKEN: byToken ? hex(16) : "",
    IS_HIDDEN: v2Flag(fields.isHidden) ?? false,
    IS_REACTIONS_ENABLED: v2Flag(fields.isReactionsEnabled) ?? true,
    IS_SUPPORT_OPENLINE: openline,
    BACKGROUND_ID: background(fields.backgroundId),
  });
  // Subscriptions are made for webhook mode only (events/index.md, "Event Subscription").
  if (mode === "webhook" && !byToken) {
    const installation = ctx.portal.installations.get(bot.CLIENT_ID);
    if (installation) subscribeV2(ctx.world, installation, url);
  }
  return answer(ctx, bot);
}

/** `fields.botToken` rotation (bot-update.md, "BotToken Rotation"). */
function rotateToken(ctx: CallContext, v2: V2BotRecord, value: unknown): void {
  const token = text(value).trim();
  if (!token || !v2.BOT_TOKEN || token === v2.BOT_TOKEN) return;
  const taken = botsOfToken(ctx.portal, token).some((b) => b.ID !== v2.ID);
  if (taken || token.length > MAX_TOKEN_LENGTH)
    throw v2Fail("BOT_TOKEN_ROTATION_FAILED", "Bot token rotation failed");
  v2.BOT_TOKEN = token;
  v2.APPLICATION_TOKEN = hex(16);
}

function update(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const fields = asRecord(param(ctx.params, "fields"));
  const v2 = v2BotById(ctx.portal, bot.ID);
  const mode = fields.eventMode === undefined ? undefined : eventMode(fields.eventMode);
  const url = fields.webhookUrl === undefined ? undefined : callbackUrl(ctx, fields.webhookUrl);
  if (v2 && (mode ?? v2.EVENT_MODE) === "webhook" && !(url ?? v2.WEBHOOK_URL))
    throw v2Fail("BOT_INVALID_CALLBACK", "Invalid callback URL");

  const props = asRecord(fields.properties);
  const user = ctx.portal.users.get(bot.ID);
  if (user) {
    if (text(props.name).trim()) user.NAME = text(props.name).trim();
    if (props.lastName !== undefined) user.LAST_NAME = text(props.lastName).trim();
    if (props.workPosition !== undefined) user.WORK_POSITION = text(props.workPosition);
    user.PERSONAL_GENDER = gender(props.gender) ?? user.PERSONAL_GENDER;
  }
  if (text(props.color).trim()) bot.COLOR = text(props.color).trim();
  // Bots registered through v1 keep their v1 events: only v2 bots have v2 settings.
  if (v2) {
    rotateToken(ctx, v2, fields.botToken);
    v2.IS_HIDDEN = v2Flag(fields.isHidden) ?? v2.IS_HIDDEN;
    v2.IS_REACTIONS_ENABLED = v2Flag(fields.isReactionsEnabled) ?? v2.IS_REACTIONS_ENABLED;
    v2.IS_SUPPORT_OPENLINE = v2Flag(fields.isSupportOpenline) ?? v2.IS_SUPPORT_OPENLINE;
    bot.OPENLINE = v2.IS_SUPPORT_OPENLINE ? "Y" : "N";
    if (fields.backgroundId !== undefined) v2.BACKGROUND_ID = background(fields.backgroundId);
    const changed =
      (mode !== undefined && mode !== v2.EVENT_MODE) || (url !== undefined && url !== v2.WEBHOOK_URL);
    v2.EVENT_MODE = mode ?? v2.EVENT_MODE;
    v2.WEBHOOK_URL = url ?? v2.WEBHOOK_URL;
    if (changed) resubscribe(ctx, bot, v2);
  }
  return answer(ctx, bot);
}

function list(ctx: CallContext) {
  const owner = v2Owner(ctx);
  const filter = asRecord(param(ctx.params, "filter"));
  const type = text(filter.type).trim();
  const limit = Math.max(asInt(param(ctx.params, "limit")) ?? 50, 1);
  const offset = Math.max(asInt(param(ctx.params, "offset")) ?? 0, 0);
  const bots = ownBots(ctx, owner)
    .map((bot) => v2Bot(ctx.portal, bot, true))
    .filter((bot) => !type || bot.type === type);
  const page = bots.slice(offset, offset + limit);
  return {
    result: {
      bots: page,
      users: v2Users(
        ctx.portal,
        page.map((b) => Number(b.id)),
        ctx.nowMs,
      ),
      hasNextPage: bots.length > offset + limit,
    },
    rows: page.length,
  };
}

function get(ctx: CallContext) {
  const owner = v2Owner(ctx);
  const id = asInt(param(ctx.params, "botId")) ?? 0;
  const code = text(param(ctx.params, "code")).trim();
  if (id <= 0 && !code) throw v2Fail("PARAMS_REQUIRED", "Required parameters are missing");
  const bot = id > 0 ? botById(ctx.portal, id) : botByCode(ctx.portal, code);
  if (!bot) throw v2Fail("BOT_NOT_FOUND", "Bot not found");
  // Extended format for the owner, brief for everyone else (bot-get.md).
  return {
    result: {
      bot: v2Bot(ctx.portal, bot, ownsBot(ctx, owner, bot)),
      users: v2Users(ctx.portal, [bot.ID], ctx.nowMs),
    },
  };
}

const def = (name: string, run: MethodDef["run"]): MethodDef => ({ name, scope: "imbot", module: "im", run });

export const botV2Methods: MethodDef[] = [
  def("imbot.v2.Bot.register", register),
  def("imbot.v2.Bot.update", update),
  def("imbot.v2.Bot.unregister", (ctx) => {
    const { bot } = ownedV2Bot(ctx);
    unregisterBot(ctx.world, ctx.portal, bot, ctx.user.ID);
    return { result: { result: true } };
  }),
  def("imbot.v2.Bot.list", list),
  def("imbot.v2.Bot.get", get),
];
