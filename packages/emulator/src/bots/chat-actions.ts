import { randomUUID } from "node:crypto";
import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import {
  mentionedUserIds,
  sendBotDelete,
  sendJoinChat,
  sendMessageAdd,
  unbindBotHandlers,
} from "./bot-events.js";
import { type BotRecord, botById, botsOfClient, deleteBotRecord, listBots } from "./bot-store.js";
import {
  type ChatRecord,
  chatById,
  chatMessageRecords,
  chatsOfUser,
  deleteChat,
  dialogIdFor,
  ensurePrivateChat,
  insertGroupChat,
  insertMessage,
  type MessageRecord,
  messageById,
  parseDialogId,
  privateChat,
} from "./chat-store.js";
import { recordJoinChat, recordMessageAdd } from "./im-v2-events.js";
import { deleteV2Bot, isV2Bot } from "./v2-bot-store.js";
import { dropV2Commands } from "./v2-command-store.js";
import { dispatchV2Commands } from "./v2-commands.js";
import { dropV2Events } from "./v2-event-queue.js";
import { sendV2Delete, sendV2JoinChat, sendV2MessageAdd, unsubscribeV2 } from "./v2-events.js";

/*
 * What people and bots do in the portal's messenger, as plain functions: the
 * REST methods (im.message.add, imbot.message.add), the control API and the
 * portal UI's chat page all go through these, so a message written anywhere
 * reaches bots the same way (ONIMBOTJOINCHAT on first contact, ONIMBOTMESSAGEADD).
 */

/** A refusal with the code and text the REST methods answer with (status 400 unless said). */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${code}: ${description}`);
  }
}

export const ChatErrors = {
  messageEmpty: () => new ChatError("MESSAGE_EMPTY", "Message can't be empty"),
  userIdEmpty: () => new ChatError("USER_ID_EMPTY", "User ID can't be empty"),
  userNotFound: () => new ChatError("USER_NOT_FOUND", "User not found"),
  accessError: () => new ChatError("ACCESS_ERROR", "Action unavailable"),
  /** No chat with the id of `chatN` (api-reference/chats/messages/im-message-add.md, `CHAT_ID`). */
  chatIdError: () => new ChatError("CHAT_ID", "Error creating message"),
  replyAccess: () => new ChatError("REPLY_ACCESS_ERROR", "Action unavailable"),
  replyFromOtherChat: () =>
    new ChatError("REPLY_FROM_OTHER_CHAT_ERROR", "You can only reply to a message within the same chat"),
  chatNotFound: () => new ChatError("CHAT_NOT_FOUND", "Chat not found", 404),
  botNotFound: () => new ChatError("BOT_ID_ERROR", "Bot not found"),
};

/** Extra message content (stored and passed on in bot events). */
export interface MessageExtras {
  attach?: unknown;
  keyboard?: unknown;
  menu?: unknown;
  system?: boolean;
}

/** A message as the control API and the portal UI show it. */
export interface ChatMessageView {
  id: number;
  chatId: number;
  authorId: number;
  text: string;
  system: boolean;
  /** ISO date with offset. */
  date: string;
  params: Record<string, unknown>;
}

export function messageView(message: MessageRecord): ChatMessageView {
  return {
    id: message.ID,
    chatId: message.CHAT_ID,
    authorId: message.AUTHOR_ID,
    text: message.MESSAGE,
    system: message.SYSTEM === "Y",
    date: isoWithOffset(message.DATE_CREATE),
    params: message.PARAMS,
  };
}

function activeUser(portal: Portal, userId: number): PortalUser {
  const user = portal.users.get(userId);
  if (!user?.ACTIVE) throw ChatErrors.userNotFound();
  return user;
}

function extrasParams(extras: MessageExtras): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (extras.attach !== undefined) out.ATTACH = extras.attach;
  if (extras.keyboard !== undefined) out.KEYBOARD = extras.keyboard;
  if (extras.menu !== undefined) out.MENU = extras.menu;
  return out;
}

/**
 * The chat a DIALOG_ID names for `viewerId`: the private dialog with that user
 * (created when missing) or group chat `chatN` (viewer must be a member).
 * `check` sees the existing chat's id (undefined for a dialog not started yet)
 * before anything is created.
 */
function resolveTarget(
  world: World,
  portal: Portal,
  viewerId: number,
  dialogId: unknown,
  check: (chatId: number | undefined) => void = () => {},
): { chat: ChatRecord; created: boolean } {
  const ref = parseDialogId(dialogId);
  if (!ref) throw ChatErrors.userIdEmpty();
  if (ref.kind === "user") {
    activeUser(portal, ref.userId);
    check(privateChat(portal, viewerId, ref.userId)?.ID);
    return ensurePrivateChat(portal, viewerId, ref.userId, world.clock.nowMs());
  }
  const chat = chatById(portal, ref.chatId);
  if (!chat) throw ChatErrors.chatIdError();
  if (!chat.MEMBERS.includes(viewerId)) throw ChatErrors.accessError();
  check(chat.ID);
  return { chat, created: false };
}

/**
 * REPLY_ID of im.message.add: a message `userId` can see (REPLY_ACCESS_ERROR), in the
 * chat written to (REPLY_FROM_OTHER_CHAT_ERROR) (api-reference/chats/messages/im-message-add.md).
 */
function replyCheck(portal: Portal, userId: number, replyId: number): (chatId: number | undefined) => void {
  const replied = messageById(portal, replyId);
  const repliedChat = replied ? chatById(portal, replied.CHAT_ID) : undefined;
  return (chatId) => {
    if (!replied || !repliedChat?.MEMBERS.includes(userId)) throw ChatErrors.replyAccess();
    if (replied.CHAT_ID !== chatId) throw ChatErrors.replyFromOtherChat();
  };
}

/** Stores a message in `chat` as `authorId` wrote it (no membership checks, no bot events; im.v2 subscribers record it). */
export function writeMessage(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  authorId: number,
  text: string,
  extras: MessageExtras & { replyId?: number },
): MessageRecord {
  const message = insertMessage(portal, {
    CHAT_ID: chat.ID,
    AUTHOR_ID: authorId,
    MESSAGE: text,
    SYSTEM: extras.system ? "Y" : "N",
    DATE_CREATE: world.clock.nowMs(),
    PARAMS: { ...extrasParams(extras), ...(extras.replyId ? { REPLY_ID: extras.replyId } : {}) },
    UUID: extras.system ? null : randomUUID(),
  });
  recordMessageAdd(world, portal, chat, message);
  return message;
}

/** ONIMBOTJOINCHAT, or ONIMBOTV2JOINCHAT for bots registered through imbot.v2 (they get v2 events only). */
function joinEvent(world: World, portal: Portal, bot: BotRecord, chat: ChatRecord, user: PortalUser): void {
  if (isV2Bot(portal, bot.ID)) sendV2JoinChat(world, portal, bot, chat, user);
  else sendJoinChat(world, portal, bot, chat, user);
}

/** Bots of `chat` a message by `author` is addressed to: the dialog's bot, or mentioned/supervisor bots of a group. */
function addressedBots(portal: Portal, chat: ChatRecord, author: PortalUser, text: string): BotRecord[] {
  // Bots do not get events for messages written by bots (no bot-to-bot loops).
  if (author.IS_BOT) return [];
  const mentioned = new Set(mentionedUserIds(text));
  const bots: BotRecord[] = [];
  for (const id of chat.MEMBERS) {
    if (id === author.ID) continue;
    const bot = botById(portal, id);
    if (!bot) continue;
    if (chat.TYPE === "P" || bot.TYPE === "S" || mentioned.has(bot.ID)) bots.push(bot);
  }
  return bots;
}

export interface PostedMessage {
  message: MessageRecord;
  chat: ChatRecord;
  /** The dialog id as the author sees it. */
  dialogId: string;
}

/**
 * A user (or bot, through im.message.add) writes `message` to `dialogId` (a
 * user id or `chatN`), as the portal's chat page does. Writing to a bot sends
 * it ONIMBOTMESSAGEADD, preceded by ONIMBOTJOINCHAT when the dialog is new;
 * in group chats, bots get messages that mention them (`[USER=id]…[/USER]`),
 * supervisor bots (TYPE S) every message; v2 bots whose slash commands it
 * calls get ONIMBOTV2COMMANDADD. `replyId` answers a message of the same chat.
 * Throws ChatError.
 */
export function postUserMessage(
  world: World,
  portal: Portal,
  input: { fromUserId: number; dialogId: string | number; message: string; replyId?: number } & MessageExtras,
): PostedMessage {
  const author = activeUser(portal, input.fromUserId);
  const text = String(input.message ?? "").trim();
  if (!text && input.attach === undefined) throw ChatErrors.messageEmpty();
  const check = input.replyId ? replyCheck(portal, author.ID, input.replyId) : undefined;
  const { chat, created } = resolveTarget(world, portal, author.ID, input.dialogId, check);
  const message = writeMessage(world, portal, chat, author.ID, text, input);
  const bots = addressedBots(portal, chat, author, text);
  if (created && chat.TYPE === "P") for (const bot of bots) joinEvent(world, portal, bot, chat, author);
  const v2 = bots.filter((bot) => isV2Bot(portal, bot.ID));
  sendMessageAdd(
    world,
    portal,
    bots.filter((bot) => !v2.includes(bot)),
    chat,
    message,
    author,
  );
  sendV2MessageAdd(world, portal, v2, chat, message, author);
  // Slash commands come after the message itself (README "Chatbots 2.0": the pages are silent).
  dispatchV2Commands(world, portal, chat, message, author);
  return { message, chat, dialogId: dialogIdFor(chat, author.ID) };
}

/**
 * A bot writes to a dialog (imbot.message.add): `dialogId` from the bot's side
 * (a user id or `chatN` the bot is in), or `fromUserId`+`toUserId` for a
 * system message in those users' dialog. No bot events follow.
 */
export function postBotMessage(
  world: World,
  portal: Portal,
  input: {
    botId: number;
    dialogId?: string | number;
    fromUserId?: number;
    toUserId?: number;
    message: string;
  } & MessageExtras,
): PostedMessage {
  const text = String(input.message ?? "").trim();
  if (!text && input.attach === undefined) throw ChatErrors.messageEmpty();
  if (input.fromUserId && input.toUserId && input.fromUserId > 0 && input.toUserId > 0) {
    activeUser(portal, input.fromUserId);
    activeUser(portal, input.toUserId);
    const { chat } = ensurePrivateChat(portal, input.fromUserId, input.toUserId, world.clock.nowMs());
    const message = writeMessage(world, portal, chat, input.fromUserId, text, { ...input, system: true });
    return { message, chat, dialogId: dialogIdFor(chat, input.fromUserId) };
  }
  const { chat } = resolveTarget(world, portal, input.botId, input.dialogId);
  const message = writeMessage(world, portal, chat, input.botId, text, input);
  return { message, chat, dialogId: dialogIdFor(chat, input.botId) };
}

/**
 * Brings a bot into a conversation: `userId` opens a private dialog with it
 * (ONIMBOTJOINCHAT the first time only), or the bot is added to group chat
 * `chatId` by `byUserId` (default: the chat's author; ONIMBOTJOINCHAT unless it
 * was a member already). Throws ChatError.
 */
export function joinBot(
  world: World,
  portal: Portal,
  input: { botId: number; userId?: number; chatId?: number; byUserId?: number },
): { joined: boolean; chat: ChatRecord } {
  const bot = botById(portal, input.botId);
  if (!bot) throw ChatErrors.botNotFound();
  if (input.chatId !== undefined) {
    const chat = chatById(portal, input.chatId);
    if (chat?.TYPE !== "C") throw ChatErrors.chatNotFound();
    const by = activeUser(portal, input.byUserId ?? chat.AUTHOR_ID);
    if (chat.MEMBERS.includes(bot.ID)) return { joined: false, chat };
    chat.MEMBERS.push(bot.ID);
    recordJoinChat(world, portal, chat, bot.ID);
    joinEvent(world, portal, bot, chat, by);
    return { joined: true, chat };
  }
  if (input.userId === undefined) throw ChatErrors.userIdEmpty();
  const user = activeUser(portal, input.userId);
  const { chat, created } = ensurePrivateChat(portal, user.ID, bot.ID, world.clock.nowMs());
  if (created && !user.IS_BOT) joinEvent(world, portal, bot, chat, user);
  return { joined: created, chat };
}

/** Creates group chat `chatN`; bots among the members get ONIMBOTJOINCHAT from the author. */
export function createGroupChat(
  world: World,
  portal: Portal,
  input: { title?: string; authorId: number; memberIds: number[] },
): ChatRecord {
  const author = activeUser(portal, input.authorId);
  for (const id of input.memberIds) activeUser(portal, id);
  const chat = insertGroupChat(
    portal,
    { title: input.title ?? "", authorId: author.ID, memberIds: input.memberIds },
    world.clock.nowMs(),
  );
  for (const id of chat.MEMBERS) {
    const bot = id === author.ID ? undefined : botById(portal, id);
    if (bot) joinEvent(world, portal, bot, chat, author);
  }
  return chat;
}

/**
 * The chat and messages (oldest first) of `dialogId` as `viewerId` sees it;
 * `chat` is undefined for a private dialog that was never started. Throws
 * ChatError when the viewer is not in the group chat.
 */
export function dialogMessages(
  portal: Portal,
  viewerId: number,
  dialogId: string | number,
): { chat: ChatRecord | undefined; messages: MessageRecord[] } {
  const ref = parseDialogId(dialogId);
  if (!ref) throw ChatErrors.userIdEmpty();
  let chat: ChatRecord | undefined;
  if (ref.kind === "user") {
    if (!portal.users.has(ref.userId)) throw ChatErrors.userNotFound();
    chat = privateChat(portal, viewerId, ref.userId);
  } else {
    chat = chatById(portal, ref.chatId);
    if (!chat?.MEMBERS.includes(viewerId)) throw ChatErrors.accessError();
  }
  return { chat, messages: chat ? chatMessageRecords(portal, chat.ID) : [] };
}

/** The dialogs of a user for a chat page's list: dialog id, title and last message. */
export function userDialogs(
  portal: Portal,
  userId: number,
): Array<{
  dialogId: string;
  chatId: number;
  type: "P" | "C";
  title: string;
  lastMessage?: ChatMessageView;
}> {
  return chatsOfUser(portal, userId).map((chat) => {
    const dialogId = dialogIdFor(chat, userId);
    const other = chat.TYPE === "P" ? portal.users.get(Number(dialogId)) : undefined;
    const title =
      chat.TYPE === "C" ? chat.TITLE : [other?.NAME, other?.LAST_NAME].filter(Boolean).join(" ") || dialogId;
    const last = chatMessageRecords(portal, chat.ID).at(-1);
    return {
      dialogId,
      chatId: chat.ID,
      type: chat.TYPE,
      title,
      ...(last ? { lastMessage: messageView(last) } : {}),
    };
  });
}

/** Deletes the bot's record, user and private dialogs, and takes it out of group chats. */
function dropBot(portal: Portal, bot: BotRecord): void {
  deleteBotRecord(portal, bot.ID);
  deleteV2Bot(portal, bot.ID);
  dropV2Events(portal, bot.ID);
  dropV2Commands(portal, bot.ID);
  for (const chat of chatsOfUser(portal, bot.ID)) {
    if (chat.TYPE === "P") deleteChat(portal, chat.ID);
    else chat.MEMBERS = chat.MEMBERS.filter((id) => id !== bot.ID);
  }
  portal.users.delete(bot.ID);
}

/**
 * Removes a bot as imbot.unregister does: ONIMBOTDELETE to its app (auth of
 * `actingUserId`; ONIMBOTV2DELETE for v2 bots), its private dialogs deleted, its
 * user gone, and the app's bot event bindings removed with its last bot.
 */
export function unregisterBot(world: World, portal: Portal, bot: BotRecord, actingUserId: number): void {
  if (isV2Bot(portal, bot.ID)) sendV2Delete(world, portal, bot);
  else sendBotDelete(world, portal, bot, actingUserId);
  dropBot(portal, bot);
  if (!bot.WEBHOOK && botsOfClient(portal, bot.CLIENT_ID).length === 0) {
    const installation = portal.installations.get(bot.CLIENT_ID);
    if (installation) {
      unbindBotHandlers(installation);
      // ONIMBOTV2* subscriptions go with the app's last bot (bot-unregister.md).
      unsubscribeV2(installation);
    }
  }
}

/** Forgets every bot of an app (uninstall), without events: the app is gone. */
export function forgetAppBots(portal: Portal, clientId: string): void {
  for (const bot of listBots(portal)) {
    if (bot.CLIENT_ID === clientId && !bot.WEBHOOK) dropBot(portal, bot);
  }
}
