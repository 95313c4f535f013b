import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/*
 * Chats of one portal (docs/protocol.md §12): private dialogs between two users
 * (a bot is a user) and group chats addressed as `chat{ID}`. Rows live in
 * portal tables, so they persist with --state like every other record.
 */

const CHATS = "im_chats";
const MESSAGES = "im_messages";

/** P = private dialog of two users, C = group chat (the MESSAGE_TYPE/CHAT_TYPE letters of §12.3). */
export type ChatType = "P" | "C";

export interface ChatRecord {
  ID: number;
  TYPE: ChatType;
  /** Empty for private dialogs. */
  TITLE: string;
  AUTHOR_ID: number;
  /** User ids, bots included. */
  MEMBERS: number[];
  COLOR: string;
  /** Unix ms. */
  DATE_CREATE: number;
}

export interface MessageRecord {
  ID: number;
  CHAT_ID: number;
  /** 0 for system messages without an author. */
  AUTHOR_ID: number;
  MESSAGE: string;
  SYSTEM: "Y" | "N";
  /** Unix ms. */
  DATE_CREATE: number;
  /** ATTACH / KEYBOARD / MENU as given, REPLY_ID of a reply. */
  PARAMS: Record<string, unknown>;
  /**
   * The message's uuid (sent as TEMPLATE_ID in ONIMBOTMESSAGEADD); null for system messages
   * (api-reference/chats/messages/im-dialog-messages-get.md). Absent in older state files.
   */
  UUID?: string | null;
}

/** A dialog id as the REST API writes it: a user id ("27") or `chat{ID}`. */
export type DialogRef = { kind: "user"; userId: number } | { kind: "chat"; chatId: number };

/** Parses a DIALOG_ID; undefined when it is neither a positive user id nor `chatN`. */
export function parseDialogId(value: unknown): DialogRef | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const chat = /^chat(\d+)$/i.exec(text);
  if (chat?.[1]) return { kind: "chat", chatId: Number(chat[1]) };
  if (/^\d+$/.test(text) && Number(text) > 0) return { kind: "user", userId: Number(text) };
  return undefined;
}

function asChat(row: Row | undefined): ChatRecord | undefined {
  return row as unknown as ChatRecord | undefined;
}

function asMessage(row: Row): MessageRecord {
  return row as unknown as MessageRecord;
}

export function chatById(portal: Portal, chatId: number): ChatRecord | undefined {
  return asChat(portal.table(CHATS).get(chatId));
}

export function allChats(portal: Portal): ChatRecord[] {
  return portal
    .table(CHATS)
    .all()
    .map((row) => row as unknown as ChatRecord);
}

/** The private dialog between two users, if it exists. */
export function privateChat(portal: Portal, a: number, b: number): ChatRecord | undefined {
  const members = a === b ? [a] : [a, b].sort((x, y) => x - y);
  return allChats(portal).find(
    (chat) =>
      chat.TYPE === "P" &&
      chat.MEMBERS.length === members.length &&
      members.every((id) => chat.MEMBERS.includes(id)),
  );
}

/** The private dialog between two users, created when missing (`created` tells which). */
export function ensurePrivateChat(
  portal: Portal,
  a: number,
  b: number,
  nowMs: number,
): { chat: ChatRecord; created: boolean } {
  const existing = privateChat(portal, a, b);
  if (existing) return { chat: existing, created: false };
  const members = a === b ? [a] : [a, b].sort((x, y) => x - y);
  const chat = portal.table(CHATS).insert({
    TYPE: "P",
    TITLE: "",
    AUTHOR_ID: a,
    MEMBERS: members,
    COLOR: "",
    DATE_CREATE: nowMs,
  });
  return { chat: chat as unknown as ChatRecord, created: true };
}

const COLORS = ["RED", "GREEN", "MINT", "LIGHT_BLUE", "DARK_BLUE", "PURPLE", "AQUA", "PINK", "LIME", "BROWN"];

export function insertGroupChat(
  portal: Portal,
  init: { title: string; authorId: number; memberIds: number[] },
  nowMs: number,
): ChatRecord {
  const members = [...new Set([init.authorId, ...init.memberIds])];
  const seq = portal.table(CHATS).seq + 1;
  const chat = portal.table(CHATS).insert({
    TYPE: "C",
    TITLE: init.title || `Chat ${seq}`,
    AUTHOR_ID: init.authorId,
    MEMBERS: members,
    COLOR: COLORS[seq % COLORS.length] ?? "AQUA",
    DATE_CREATE: nowMs,
  });
  return chat as unknown as ChatRecord;
}

export function insertMessage(portal: Portal, init: Omit<MessageRecord, "ID">): MessageRecord {
  return asMessage(portal.table(MESSAGES).insert({ ...init }));
}

export function messageById(portal: Portal, id: number): MessageRecord | undefined {
  const row = portal.table(MESSAGES).get(id);
  return row ? asMessage(row) : undefined;
}

/** Removes one message. */
export function deleteMessage(portal: Portal, id: number): void {
  portal.table(MESSAGES).delete(id);
}

/** Messages of a chat, oldest first. */
export function chatMessageRecords(portal: Portal, chatId: number): MessageRecord[] {
  return portal
    .table(MESSAGES)
    .all()
    .map(asMessage)
    .filter((m) => m.CHAT_ID === chatId)
    .sort((x, y) => x.ID - y.ID);
}

/** Id of the message before `messageId` in the chat (CHAT_PREV_MESSAGE_ID), if any. */
export function previousMessageId(portal: Portal, chatId: number, messageId: number): number | undefined {
  let last: number | undefined;
  for (const row of portal.table(MESSAGES).all()) {
    const m = asMessage(row);
    if (m.CHAT_ID === chatId && m.ID < messageId && (last === undefined || m.ID > last)) last = m.ID;
  }
  return last;
}

/** Removes a chat and its messages. */
export function deleteChat(portal: Portal, chatId: number): void {
  portal.table(CHATS).delete(chatId);
  const messages = portal.table(MESSAGES);
  for (const row of messages.all()) if (asMessage(row).CHAT_ID === chatId) messages.delete(row.ID);
}

/** The DIALOG_ID of a chat as `viewerId` sees it: the other member's id for dialogs, `chatN` for groups. */
export function dialogIdFor(chat: ChatRecord, viewerId: number): string {
  if (chat.TYPE === "C") return `chat${chat.ID}`;
  const other = chat.MEMBERS.find((id) => id !== viewerId) ?? viewerId;
  return String(other);
}

/** Chats `userId` is a member of, newest activity first. */
export function chatsOfUser(portal: Portal, userId: number): ChatRecord[] {
  const lastMessage = new Map<number, number>();
  for (const row of portal.table(MESSAGES).all()) {
    const m = asMessage(row);
    lastMessage.set(m.CHAT_ID, Math.max(lastMessage.get(m.CHAT_ID) ?? 0, m.ID));
  }
  return allChats(portal)
    .filter((chat) => chat.MEMBERS.includes(userId))
    .sort((a, b) => (lastMessage.get(b.ID) ?? 0) - (lastMessage.get(a.ID) ?? 0) || b.ID - a.ID);
}
