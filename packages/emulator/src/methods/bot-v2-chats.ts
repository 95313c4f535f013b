import type { BotRecord } from "../bots/bot-store.js";
import { ChatError, createGroupChat, postBotMessage } from "../bots/chat-actions.js";
import {
  type ChatRecord,
  chatById,
  deleteMessage,
  ensurePrivateChat,
  messageById,
  parseDialogId,
  privateChat,
} from "../bots/chat-store.js";
import { isUserSubscribed, recordMessageDelete, recordMessageUpdate } from "../bots/im-v2-events.js";
import { fetchV2Events } from "../bots/v2-event-queue.js";
import { chatColorName, v2Chat, v2Users } from "../bots/v2-views.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asInt, asRecord, param } from "../calls/params.js";
import { EmptyPhpObject } from "../calls/php-object.js";
import { ownedV2Bot, text, v2Fail, v2Flag } from "./bot-v2-access.js";

/*
 * What a Chatbots 2.0 bot does in chats (api-reference/chat-bots/chat-bots-v2/imbot.v2/):
 * messages/chat-message-send|update|delete.md, chats/chat-get|add.md,
 * ui/chat-input-action-notify.md, and events/event-get.md for fetch mode. Messages go
 * through src/bots/chat-actions, so v2 and classic bots share chats and dialogs.
 */

/** Longer texts are cut with " (...)" (chat-message-send.md, `fields.message`). */
const MAX_MESSAGE_LENGTH = 20_000;

/** Event.get's `limit`: 1–1000, default 100. */
const MAX_EVENTS = 1000;

const accessDenied = () => v2Fail("ACCESS_DENIED", "Access denied", 403);

export function cut(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)} (...)` : message;
}

/** A present `attach`/`keyboard` block (a JSON string, an object or an array). */
export function block(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The chat `dialogId` names for the bot: its dialog with that user (created when
 * `create`), or group chat `chatN` it is in. ACCESS_DENIED otherwise.
 */
function botChat(ctx: CallContext, bot: BotRecord, create: boolean): ChatRecord {
  const ref = parseDialogId(param(ctx.params, "dialogId"));
  if (!ref) throw accessDenied();
  if (ref.kind === "chat") {
    const chat = chatById(ctx.portal, ref.chatId);
    if (!chat?.MEMBERS.includes(bot.ID)) throw accessDenied();
    return chat;
  }
  if (!ctx.portal.users.get(ref.userId)?.ACTIVE) throw accessDenied();
  const chat = create
    ? ensurePrivateChat(ctx.portal, bot.ID, ref.userId, ctx.nowMs).chat
    : privateChat(ctx.portal, bot.ID, ref.userId);
  if (!chat) throw accessDenied();
  return chat;
}

function send(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const fields = asRecord(param(ctx.params, "fields"));
  const message = cut(text(fields.message).trim());
  const attach = block(fields.attach);
  const keyboard = block(fields.keyboard);
  if (!message && attach === undefined) throw v2Fail("EMPTY_MESSAGE", "Message is empty");
  const system = v2Flag(fields.system) ?? false;
  const dialogId = param(ctx.params, "dialogId");
  if (!parseDialogId(dialogId)) throw accessDenied();
  let posted: ReturnType<typeof postBotMessage>;
  try {
    posted = postBotMessage(ctx.world, ctx.portal, {
      botId: bot.ID,
      dialogId: typeof dialogId === "number" ? dialogId : text(dialogId),
      message,
      system,
      ...(attach !== undefined ? { attach } : {}),
      ...(keyboard !== undefined ? { keyboard } : {}),
    });
  } catch (error) {
    if (error instanceof ChatError) throw accessDenied();
    throw error;
  }
  // System messages have no author (chat-message-update.md).
  if (system) posted.message.AUTHOR_ID = 0;
  const replyId = asInt(fields.replyId) ?? 0;
  if (replyId > 0) posted.message.PARAMS.REPLY_ID = replyId;
  return { result: { id: posted.message.ID, uuidMap: new EmptyPhpObject() } };
}

/** The bot's own message of `messageId`; ACCESS_DENIED when it is someone else's or gone. */
function ownMessage(ctx: CallContext, bot: BotRecord, orChatOwner: boolean) {
  const message = messageById(ctx.portal, asInt(param(ctx.params, "messageId")) ?? 0);
  if (!message) throw accessDenied();
  if (message.AUTHOR_ID === bot.ID) return message;
  // The chat's administrator may delete any message (chat-message-delete.md).
  if (orChatOwner && chatById(ctx.portal, message.CHAT_ID)?.AUTHOR_ID === bot.ID) return message;
  throw accessDenied();
}

function update(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const message = ownMessage(ctx, bot, false);
  const fields = asRecord(param(ctx.params, "fields"));
  if (fields.message !== undefined) message.MESSAGE = cut(text(fields.message).trim());
  const attach = block(fields.attach);
  if (attach !== undefined) message.PARAMS.ATTACH = attach;
  // "N" removes the keyboard.
  if (text(fields.keyboard) === "N") delete message.PARAMS.KEYBOARD;
  else if (block(fields.keyboard) !== undefined) message.PARAMS.KEYBOARD = block(fields.keyboard);
  const chat = chatById(ctx.portal, message.CHAT_ID);
  if (chat) recordMessageUpdate(ctx.world, ctx.portal, chat, message);
  return { result: { result: true } };
}

function remove(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const message = ownMessage(ctx, bot, true);
  const chat = chatById(ctx.portal, message.CHAT_ID);
  if (chat) recordMessageDelete(ctx.world, ctx.portal, chat, message);
  deleteMessage(ctx.portal, message.ID);
  return { result: { result: true } };
}

function chatGet(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  return { result: { chat: v2Chat(ctx.portal, botChat(ctx, bot, true), bot.ID) } };
}

function chatAdd(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const fields = asRecord(param(ctx.params, "fields"));
  // Ids of no active user are left out.
  const userIds = asArray(fields.userIds)
    .map((id) => asInt(id) ?? 0)
    .filter((id) => id !== bot.ID && ctx.portal.users.get(id)?.ACTIVE);
  const ownerId = asInt(fields.ownerId) ?? 0;
  const owner = ownerId > 0 && ctx.portal.users.get(ownerId)?.ACTIVE ? ownerId : bot.ID;
  const chat = createGroupChat(ctx.world, ctx.portal, {
    title: text(fields.title).trim(),
    authorId: bot.ID,
    memberIds: [...userIds, ...(owner !== bot.ID && !userIds.includes(owner) ? [owner] : [])],
  });
  chat.AUTHOR_ID = owner;
  const color = chatColorName(fields.color);
  if (color) chat.COLOR = color;
  const first = text(fields.message).trim();
  if (first)
    postBotMessage(ctx.world, ctx.portal, { botId: bot.ID, dialogId: `chat${chat.ID}`, message: cut(first) });
  return {
    result: {
      chat: { ...v2Chat(ctx.portal, chat, bot.ID), isNew: true },
      users: v2Users(ctx.portal, chat.MEMBERS, ctx.nowMs),
    },
  };
}

/** The emulator shows no typing indicator; the call checks what the page checks. */
function inputActionNotify(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  botChat(ctx, bot, true);
  return { result: { result: true } };
}

/** `offset` and `limit` (1–1000, default 100) of the Event.get methods. */
export function pageOf(ctx: CallContext): [offset: number | undefined, limit: number] {
  const offset = asInt(param(ctx.params, "offset"));
  return [offset, Math.min(Math.max(asInt(param(ctx.params, "limit")) ?? 100, 1), MAX_EVENTS)];
}

function eventGet(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const withUser = v2Flag(param(ctx.params, "withUserEvents")) ?? false;
  if (withUser) {
    if (!ctx.caller.scopes.has("im")) throw v2Fail("SCOPE_ERROR", "Scope error", 403);
    if (!isUserSubscribed(ctx.portal, ctx.user.ID))
      throw v2Fail("USER_NOT_SUBSCRIBED", "User not subscribed");
  }
  // The calling user's ONIMV2* events join the bot's; one offset confirms both (event-get.md).
  const owner = withUser ? { botId: bot.ID, userId: ctx.user.ID } : { botId: bot.ID };
  const fetched = fetchV2Events(ctx.portal, owner, ...pageOf(ctx), ctx.nowMs);
  ctx.world.onChange();
  return { result: fetched, rows: fetched.events.length };
}

const def = (name: string, run: MethodDef["run"]): MethodDef => ({ name, scope: "imbot", module: "im", run });

export const botV2ChatMethods: MethodDef[] = [
  def("imbot.v2.Chat.Message.send", send),
  def("imbot.v2.Chat.Message.update", update),
  def("imbot.v2.Chat.Message.delete", remove),
  def("imbot.v2.Chat.get", chatGet),
  def("imbot.v2.Chat.add", chatAdd),
  def("imbot.v2.Chat.InputAction.notify", inputActionNotify),
  def("imbot.v2.Event.get", eventGet),
];
