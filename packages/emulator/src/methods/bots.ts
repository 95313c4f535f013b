import { bindBotHandlers } from "../bots/bot-events.js";
import {
  type BotHandlers,
  type BotRecord,
  type BotType,
  botByCode,
  botById,
  botsOfClient,
  MAX_BOTS_PER_APP,
  storeBot,
} from "../bots/bot-store.js";
import {
  ChatError,
  dialogMessages,
  type MessageExtras,
  postBotMessage,
  postUserMessage,
  unregisterBot,
} from "../bots/chat-actions.js";
import { parseDialogId } from "../bots/chat-store.js";
import { dialogMessageEntry, dialogUserEntry } from "../bots/dialog-view.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { hex } from "../ids.js";
import { handlerUrlProblem } from "../placements/handler-url.js";
import { isTruthy } from "./users.js";

/*
 * Chat bots, legacy imbot.* (docs/protocol.md §12.1–12.3), and the messenger
 * methods an app uses around them (§12.5). State and events live in src/bots.
 */

/** Size limit of ATTACH, KEYBOARD and MENU (§4.3: 30 KB each). */
const MAX_BLOCK_BYTES = 30 * 1024;

function fail(code: string, description: string, status = 400): RestError {
  return new RestError(status, code, description);
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

/** Runs a chat action, answering its ChatError as the method's error. */
function chat<T>(
  run: () => T,
  map: (e: ChatError) => RestError = (e) => fail(e.code, e.description, e.status),
): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ChatError) throw map(error);
    throw error;
  }
}

/**
 * The app a bot call acts for: the OAuth token's app, or for incoming
 * webhooks the CLIENT_ID parameter (§12.1 "webhook mode").
 */
function ownerOf(ctx: CallContext): { clientId: string; webhook: boolean } {
  if (ctx.caller.kind === "oauth" && ctx.caller.clientId)
    return { clientId: ctx.caller.clientId, webhook: false };
  const clientId = text(param(ctx.params, "CLIENT_ID")).trim();
  if (!clientId) throw fail("ACCESS_DENIED", "Access denied! Client ID not specified", 403);
  return { clientId, webhook: true };
}

const REQUIRED_HANDLERS: Array<[keyof BotHandlers, string]> = [
  ["EVENT_MESSAGE_ADD", "Message add"],
  ["EVENT_WELCOME_MESSAGE", "Welcome message"],
  ["EVENT_BOT_DELETE", "Bot delete"],
];

const ALL_HANDLERS: Array<keyof BotHandlers> = [
  "EVENT_MESSAGE_ADD",
  "EVENT_MESSAGE_UPDATE",
  "EVENT_MESSAGE_DELETE",
  "EVENT_WELCOME_MESSAGE",
  "EVENT_BOT_DELETE",
];

/** EVENT_HANDLER (copied to all five) or the separate URLs; required ones present and every URL valid. */
function readHandlers(ctx: CallContext): BotHandlers {
  const common = text(param(ctx.params, "EVENT_HANDLER")).trim();
  const handlers = Object.fromEntries(
    ALL_HANDLERS.map((key) => [key, common || text(param(ctx.params, key)).trim()]),
  ) as unknown as BotHandlers;
  for (const [key, label] of REQUIRED_HANDLERS) {
    if (!handlers[key]) throw fail(`${key}_ERROR`, `Handler for "${label}" event isn't specified`);
  }
  for (const key of ALL_HANDLERS) {
    const url = handlers[key];
    if (url && handlerUrlProblem(url, ctx.world.settings.requireHttpsHandlers)) {
      throw fail(`${key}_ERROR`, "Wrong handler URL");
    }
  }
  return handlers;
}

function botType(value: unknown): BotType {
  const t = text(value).trim().toUpperCase();
  return t === "O" || t === "H" || t === "S" ? t : "B";
}

function register(ctx: CallContext) {
  const owner = ownerOf(ctx);
  const handlers = readHandlers(ctx);
  const code = text(param(ctx.params, "CODE")).trim();
  if (!code) throw fail("CODE_ERROR", "Bot code isn't specified");
  const props = asRecord(param(ctx.params, "PROPERTIES"));
  const name = text(props.NAME).trim();
  const lastName = text(props.LAST_NAME).trim();
  if (!name && !lastName) throw fail("NAME_ERROR", "Bot name isn't specified");

  // CODE is unique per portal; the same app registering it again gets its bot back, with its
  // handlers bound again (an app update removes every event binding, §2.5).
  const existing = botByCode(ctx.portal, code);
  if (existing) {
    if (existing.CLIENT_ID !== owner.clientId) throw fail("WRONG_REQUEST", "Bot can't be created");
    const installation = owner.webhook ? undefined : ctx.portal.installations.get(owner.clientId);
    if (installation) bindBotHandlers(ctx.world, installation, existing);
    return { result: existing.ID };
  }
  if (botsOfClient(ctx.portal, owner.clientId).length >= MAX_BOTS_PER_APP) {
    throw fail(
      "MAX_COUNT_ERROR",
      `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_APP})`,
    );
  }

  const type = botType(param(ctx.params, "TYPE"));
  const openline = type === "O" || isTruthy(param(ctx.params, "OPENLINE")) ? "Y" : "N";
  // Update/delete handlers are ignored for B/H bots outside open lines (§12.1).
  if ((type === "B" || type === "H") && openline === "N") {
    handlers.EVENT_MESSAGE_UPDATE = "";
    handlers.EVENT_MESSAGE_DELETE = "";
  }
  const gender = text(props.PERSONAL_GENDER).toUpperCase();
  const email = text(props.EMAIL).trim();
  const user = ctx.portal.addUser({
    NAME: name,
    LAST_NAME: lastName,
    WORK_POSITION: text(props.WORK_POSITION),
    PERSONAL_GENDER: gender === "M" || gender === "F" ? gender : "",
    ...(email ? { EMAIL: email } : {}),
    ADMIN: false,
    UF_DEPARTMENT: [],
    IS_BOT: true,
  });
  const bot: BotRecord = storeBot(ctx.portal, {
    ID: user.ID,
    CODE: code,
    TYPE: type,
    OPENLINE: openline,
    CLIENT_ID: owner.clientId,
    WEBHOOK: owner.webhook,
    APPLICATION_TOKEN: owner.webhook ? hex(16) : "",
    REGISTERED_BY: ctx.user.ID,
    COLOR: text(props.COLOR).toUpperCase(),
    DATE_CREATE: ctx.world.clock.nowMs(),
    ...handlers,
  });
  const installation = owner.webhook ? undefined : ctx.portal.installations.get(owner.clientId);
  if (installation) bindBotHandlers(ctx.world, installation, bot);
  return { result: bot.ID };
}

/** The bot a call names (BOT_ID), checked against the calling app; `fallback` picks the app's first bot. */
function ownedBot(ctx: CallContext, fallback: boolean): BotRecord {
  const owner = ownerOf(ctx);
  const id = asInt(param(ctx.params, "BOT_ID")) ?? 0;
  const bot =
    id > 0 ? botById(ctx.portal, id) : fallback ? botsOfClient(ctx.portal, owner.clientId)[0] : undefined;
  if (!bot) throw fail("BOT_ID_ERROR", "Bot not found");
  if (bot.CLIENT_ID !== owner.clientId)
    throw fail("APP_ID_ERROR", "Bot was installed by another REST application");
  return bot;
}

/** A JSON string, an object or an array (chats/messages/attachments.md, keyboards.md, menu.md). */
function isBlockValue(value: unknown): boolean {
  let decoded = value;
  if (typeof value === "string") {
    try {
      decoded = JSON.parse(value);
    } catch {
      return false;
    }
  }
  return typeof decoded === "object" && decoded !== null;
}

/**
 * ATTACH, KEYBOARD, MENU: well-formed (`<NAME>_ERROR`, "Incorrect … params") and within
 * 30 KB each (`<NAME>_OVERSIZE`) (im-message-add.md, imbot-message-add.md).
 */
function messageExtras(ctx: CallContext): MessageExtras {
  const extras: MessageExtras = { system: isTruthy(param(ctx.params, "SYSTEM")) };
  for (const [key, field] of [
    ["ATTACH", "attach"],
    ["KEYBOARD", "keyboard"],
    ["MENU", "menu"],
  ] as const) {
    const value = param(ctx.params, key);
    if (value === undefined || value === null || value === "") continue;
    if (!isBlockValue(value)) throw fail(`${key}_ERROR`, `Incorrect ${key.toLowerCase()} params`);
    const size = Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));
    if (size > MAX_BLOCK_BYTES) {
      throw fail(`${key}_OVERSIZE`, `You have exceeded the maximum allowable size of ${key.toLowerCase()}`);
    }
    extras[field] = value;
  }
  return extras;
}

function botMessageAdd(ctx: CallContext) {
  const bot = ownedBot(ctx, true);
  const fromUserId = asInt(param(ctx.params, "FROM_USER_ID")) ?? 0;
  const toUserId = asInt(param(ctx.params, "TO_USER_ID")) ?? 0;
  const pair = fromUserId > 0 && toUserId > 0;
  const dialogId = param(ctx.params, "DIALOG_ID");
  if (!pair && !parseDialogId(dialogId)) throw fail("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
  const message = text(param(ctx.params, "MESSAGE"));
  // MESSAGE is required here, ATTACH or not (imbot-message-add.md; im.message.add differs).
  if (!message.trim()) throw fail("MESSAGE_EMPTY", "Message can't be empty");
  const extras = messageExtras(ctx);
  const posted = chat(
    () =>
      postBotMessage(ctx.world, ctx.portal, {
        botId: bot.ID,
        ...(pair ? { fromUserId, toUserId } : { dialogId: text(dialogId) }),
        message,
        ...extras,
      }),
    (e) =>
      e.code === "MESSAGE_EMPTY" ? fail(e.code, e.description) : fail("WRONG_REQUEST", "Message isn't added"),
  );
  return { result: posted.message.ID };
}

function imMessageAdd(ctx: CallContext) {
  const message = text(param(ctx.params, "MESSAGE"));
  const extras = messageExtras(ctx);
  const dialogId = param(ctx.params, "DIALOG_ID");
  const replyId = asInt(param(ctx.params, "REPLY_ID")) ?? 0;
  const posted = chat(() =>
    postUserMessage(ctx.world, ctx.portal, {
      fromUserId: ctx.user.ID,
      dialogId: typeof dialogId === "number" ? dialogId : text(dialogId),
      message,
      ...(replyId > 0 ? { replyId } : {}),
      ...extras,
    }),
  );
  return { result: posted.message.ID };
}

/** LAST_ID / FIRST_ID: absent, or numeric (`<NAME>_STRING` otherwise, im-dialog-messages-get.md). */
function messageIdBound(ctx: CallContext, key: "LAST_ID" | "FIRST_ID", label: string): number | undefined {
  const value = param(ctx.params, key);
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw fail(`${key}_STRING`, `${label} ID can't be string`);
  return Math.trunc(n);
}

/**
 * im.dialog.messages.get (api-reference/chats/messages/im-dialog-messages-get.md): newest
 * first, LIMIT (default 20, max 50); LAST_ID loads older messages, FIRST_ID the ones right
 * after it. `users` are the authors of the messages.
 */
function dialogMessagesGet(ctx: CallContext) {
  const dialogId = param(ctx.params, "DIALOG_ID");
  if (!parseDialogId(dialogId)) throw fail("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
  const { chat: room, messages } = chat(
    () => dialogMessages(ctx.portal, ctx.user.ID, typeof dialogId === "number" ? dialogId : text(dialogId)),
    () => fail("ACCESS_ERROR", "You do not have access to the specified dialog", 403),
  );
  const lastId = messageIdBound(ctx, "LAST_ID", "Last");
  const firstId = messageIdBound(ctx, "FIRST_ID", "First");
  const limit = Math.min(Math.max(asInt(param(ctx.params, "LIMIT")) ?? 20, 1), 50);
  const inRange = messages.filter(
    (m) => (lastId === undefined || m.ID < lastId) && (firstId === undefined || m.ID > firstId),
  );
  // `messages` is oldest first: FIRST_ID pages forward from its message, otherwise the newest come.
  const picked = (
    firstId !== undefined && lastId === undefined ? inRange.slice(0, limit) : inRange.slice(-limit)
  ).sort((a, b) => b.ID - a.ID);
  const nowMs = ctx.world.clock.nowMs();
  const users = [...new Set(picked.map((m) => m.AUTHOR_ID))].flatMap((id) => {
    const user = ctx.portal.users.get(id);
    return user ? [dialogUserEntry(user, botById(ctx.portal, id), nowMs)] : [];
  });
  return {
    result: { chat_id: room?.ID ?? 0, messages: picked.map(dialogMessageEntry), users, files: [] },
    rows: picked.length,
  };
}

export const botMethods: MethodDef[] = [
  { name: "imbot.register", scope: "imbot", module: "im", run: register },
  {
    name: "imbot.unregister",
    scope: "imbot",
    module: "im",
    run: (ctx) => {
      const bot = ownedBot(ctx, false);
      unregisterBot(ctx.world, ctx.portal, bot, ctx.user.ID);
      return { result: true };
    },
  },
  { name: "imbot.message.add", scope: "imbot", module: "im", run: botMessageAdd },
  { name: "im.message.add", scope: "im", module: "im", run: imMessageAdd },
  { name: "im.dialog.messages.get", scope: "im", module: "im", run: dialogMessagesGet },
];
