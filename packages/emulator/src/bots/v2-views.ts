import { EmptyPhpObject } from "../calls/php-object.js";
import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import { type BotRecord, botById } from "./bot-store.js";
import {
  type ChatRecord,
  chatMessageRecords,
  chatsOfUser,
  dialogIdFor,
  type MessageRecord,
} from "./chat-store.js";
import { v2BotById, v2TypeOf } from "./v2-bot-store.js";
import { commandsOfBot } from "./v2-command-store.js";

/*
 * The User, Bot, Chat and Message objects of Chatbots 2.0 (api-reference/chat-bots/
 * chat-bots-v2/entities.md): camelCase keys with JSON types, empty objects as `{}`. The emulator tracks no
 * reads, presence, avatars or managers, so those keys hold the values of an online
 * user with nothing unread in a chat without managers.
 */

/** Portal language (the emulator's portals are English). */
export const V2_LANGUAGE = "en";

/** HEX of the classic chat colour names (chats/chat-add.md, "Available Colors"). */
const CHAT_COLORS: Record<string, string> = {
  RED: "#df532d",
  GREEN: "#64a513",
  MINT: "#4ba984",
  LIGHT_BLUE: "#4ba5c3",
  DARK_BLUE: "#3e99ce",
  PURPLE: "#8474c8",
  AQUA: "#1eb4aa",
  PINK: "#f76187",
  LIME: "#58cc47",
  BROWN: "#ab7761",
  AZURE: "#29619b",
  KHAKI: "#728f7a",
  SAND: "#ba9c7b",
  MARENGO: "#556574",
  GRAY: "#909090",
  GRAPHITE: "#5e5f5e",
};

/** A colour code of chat-add.md (`lightBlue`) as chats store it (`LIGHT_BLUE`); undefined when unknown. */
export function chatColorName(code: unknown): string | undefined {
  const name = String(code ?? "")
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase();
  return name in CHAT_COLORS ? name : undefined;
}

/** The placeholder colour of users without an avatar (entities.md's example). */
const USER_COLOR = "#df532d";

/**
 * The User object. `online` (events delivered through the event system) sets
 * `idle`, `lastActivityDate`, `mobileLastDate` and `desktopLastDate` to false (entities.md).
 */
export function v2User(user: PortalUser, nowMs: number, online = false): Record<string, unknown> {
  return {
    id: user.ID,
    active: user.ACTIVE,
    name: [user.NAME, user.LAST_NAME].filter(Boolean).join(" "),
    firstName: user.NAME,
    lastName: user.LAST_NAME,
    workPosition: user.WORK_POSITION,
    color: USER_COLOR,
    avatar: "",
    gender: user.PERSONAL_GENDER || "M",
    birthday: "",
    extranet: user.USER_TYPE === "extranet",
    bot: Boolean(user.IS_BOT),
    connector: false,
    externalAuthId: user.IS_BOT ? "bot" : "default",
    status: "online",
    idle: false,
    lastActivityDate: online ? false : isoWithOffset(nowMs),
    mobileLastDate: false,
    desktopLastDate: false,
    absent: false,
    departments: user.UF_DEPARTMENT,
    phones: false,
    type: user.IS_BOT ? "bot" : user.USER_TYPE,
    website: "",
    email: user.EMAIL,
  };
}

/** Users the v2 methods answer with, skipping ids that are gone. */
export function v2Users(portal: Portal, ids: number[], nowMs: number): Record<string, unknown>[] {
  return [...new Set(ids)].flatMap((id) => {
    const user = portal.users.get(id);
    return user ? [v2User(user, nowMs)] : [];
  });
}

/** The Bot object: brief for anyone, extended (mode and counters) for its owner (entities.md, "Bot"). */
export function v2Bot(portal: Portal, bot: BotRecord, extended: boolean): Record<string, unknown> {
  const v2 = v2BotById(portal, bot.ID);
  const brief = {
    id: bot.ID,
    code: bot.CODE,
    type: v2?.TYPE ?? v2TypeOf(bot),
    isHidden: v2?.IS_HIDDEN ?? false,
    isSupportOpenline: v2?.IS_SUPPORT_OPENLINE ?? bot.OPENLINE === "Y",
    isReactionsEnabled: v2?.IS_REACTIONS_ENABLED ?? true,
    backgroundId: v2?.BACKGROUND_ID ?? null,
    language: V2_LANGUAGE,
  };
  if (!extended) return brief;
  const chats = chatsOfUser(portal, bot.ID);
  const people = new Set<number>();
  let sent = 0;
  for (const chat of chats) {
    for (const m of chatMessageRecords(portal, chat.ID)) {
      if (m.AUTHOR_ID === bot.ID) sent += 1;
      else if (m.AUTHOR_ID > 0 && !botById(portal, m.AUTHOR_ID)) people.add(m.AUTHOR_ID);
    }
  }
  return {
    ...brief,
    moduleId: "rest",
    // Classic bots get their events POSTed to their handlers.
    eventMode: v2?.EVENT_MODE ?? "webhook",
    countMessage: sent,
    countCommand: commandsOfBot(portal, bot.ID).length,
    countChat: chats.length,
    countUser: people.size,
  };
}

function chatRole(chat: ChatRecord, viewerId: number): string {
  if (chat.AUTHOR_ID === viewerId) return "owner";
  return chat.MEMBERS.includes(viewerId) ? "member" : "none";
}

/**
 * The Chat object as `viewerId` sees it. In events (`forEvent`) it has no `role`
 * and `muteList` (imbot.v2/events/events.md, "Chat Object in Events") and none of
 * the method-only fields.
 */
export function v2Chat(
  portal: Portal,
  chat: ChatRecord,
  viewerId: number,
  forEvent = false,
): Record<string, unknown> {
  const common = {
    id: chat.ID,
    dialogId: dialogIdFor(chat, viewerId),
    name: chat.TITLE,
    description: "",
    type: chat.TYPE === "C" ? "chat" : "private",
    messageType: chat.TYPE,
    owner: chat.AUTHOR_ID,
    color: CHAT_COLORS[chat.COLOR] ?? null,
    avatar: "",
    extranet: chat.MEMBERS.some((id) => portal.users.get(id)?.USER_TYPE === "extranet"),
    containsCollaber: false,
    entityType: "",
    entityId: "",
    entityData1: "",
    entityData2: "",
    entityData3: "",
    entityLink: new EmptyPhpObject(),
    diskFolderId: null,
    permissions: new EmptyPhpObject(),
    parentChatId: null,
    parentMessageId: null,
    isNew: false,
    textFieldEnabled: "Y",
    backgroundId: null,
  };
  if (forEvent) return common;
  const messages = chatMessageRecords(portal, chat.ID);
  const last = messages.at(-1)?.ID ?? null;
  return {
    ...common,
    role: chatRole(chat, viewerId),
    muteList: [],
    dateCreate: isoWithOffset(chat.DATE_CREATE),
    lastMessageId: last,
    lastMessageViews: "{}",
    lastId: last,
    managerList: [],
    markedId: null,
    messageCount: messages.length,
    public: "",
    unreadId: null,
    userCounter: chat.MEMBERS.length,
  };
}

/** The Message object; `forMethod` adds `unread` and `viewed` (entities.md, "Message"). */
export function v2Message(m: MessageRecord, forMethod = false): Record<string, unknown> {
  const base = {
    id: m.ID,
    chatId: m.CHAT_ID,
    authorId: m.AUTHOR_ID,
    date: isoWithOffset(m.DATE_CREATE),
    text: m.MESSAGE,
    isSystem: m.SYSTEM === "Y",
    uuid: m.UUID ?? "",
    forward: null,
    // `{}` when empty, as the page's examples show it.
    params: Object.keys(m.PARAMS).length > 0 ? m.PARAMS : new EmptyPhpObject(),
    viewedByOthers: false,
  };
  return forMethod ? { ...base, unread: false, viewed: true } : base;
}
