/*
 * Classic chat-bot events as the portal POSTs them (docs/protocol.md §12.3;
 * chat-bots/outdated/messages/events/on-imbot-message-add.md,
 * chat-bots/outdated/chats/events/on-imbot-join-chat.md,
 * chat-bots/outdated/events/on-imbot-delete.md). Form fields arrive as strings;
 * a JSON body may carry numbers. These are the shapes `data` has before parsing.
 */

/** Events `imbot.register` binds to the bot's handler URL (the runtime's events URL). */
export const BOT_EVENTS = [
  "ONIMBOTMESSAGEADD",
  "ONIMBOTJOINCHAT",
  "ONIMBOTDELETE",
  "ONIMBOTMESSAGEUPDATE",
  "ONIMBOTMESSAGEDELETE",
] as const;

export type BotEventName = (typeof BOT_EVENTS)[number];

/**
 * Events `imbot.v2.Bot.register` with `eventMode: "webhook"` subscribes the bot's
 * webhookUrl to by itself (chat-bots-v2/imbot.v2/events/events.md, "Automatic
 * Subscription Management"): the runtime must not unbind them.
 */
export const BOT_V2_EVENTS = [
  "ONIMBOTV2MESSAGEADD",
  "ONIMBOTV2MESSAGEUPDATE",
  "ONIMBOTV2MESSAGEDELETE",
  "ONIMBOTV2JOINCHAT",
  "ONIMBOTV2DELETE",
  "ONIMBOTV2CONTEXTGET",
  "ONIMBOTV2COMMANDADD",
  "ONIMBOTV2REACTIONCHANGE",
] as const;

/** The bot events the router hands to handlers, on both bot APIs. */
export type RoutedBotEvent =
  | "ONIMBOTMESSAGEADD"
  | "ONIMBOTJOINCHAT"
  | "ONIMBOTDELETE"
  | "ONIMBOTV2MESSAGEADD"
  | "ONIMBOTV2JOINCHAT"
  | "ONIMBOTV2DELETE";

type FormScalar = string | number;

/** `data[BOT][<id>]`: the bot user's auth block plus which bot it is. */
export interface BotAuthBlock {
  BOT_ID: FormScalar;
  BOT_CODE: string;
  access_token?: string;
  expires?: FormScalar;
  expires_in?: FormScalar;
  scope?: string;
  domain?: string;
  server_endpoint?: string;
  client_endpoint?: string;
  member_id?: string;
  refresh_token?: string;
  user_id?: FormScalar;
  client_id?: string;
  application_token?: string;
  AUTH?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `data[USER]`: the author of the message (the user who opened the dialog, for ONIMBOTJOINCHAT). */
export interface BotEventUserData {
  ID: FormScalar;
  NAME?: string;
  FIRST_NAME?: string;
  LAST_NAME?: string;
  WORK_POSITION?: string;
  GENDER?: string;
  IS_BOT?: "Y" | "N";
  IS_CONNECTOR?: "Y" | "N";
  IS_NETWORK?: "Y" | "N";
  IS_EXTRANET?: "Y" | "N";
  [key: string]: unknown;
}

/** `data[PARAMS]` of ONIMBOTMESSAGEADD. */
export interface BotMessageParams {
  MESSAGE: string;
  MESSAGE_ID: FormScalar;
  /** The author's user id in a private dialog, `chatN` in a group chat: where a reply goes. */
  DIALOG_ID: string;
  FROM_USER_ID: FormScalar;
  TO_USER_ID?: FormScalar;
  AUTHOR_ID?: FormScalar;
  /** P private, C group chat, O open line, … */
  CHAT_TYPE: string;
  MESSAGE_TYPE?: string;
  CHAT_ID?: FormScalar;
  TO_CHAT_ID?: FormScalar;
  /** Group chats: the message with the bot's mention, which MESSAGE leaves out. */
  MESSAGE_ORIGINAL?: string;
  TEMPLATE_ID?: string;
  SYSTEM?: "Y" | "N";
  LANGUAGE?: string;
  ATTACH?: unknown;
  KEYBOARD?: unknown;
  [key: string]: unknown;
}

/** `data[PARAMS]` of ONIMBOTJOINCHAT. */
export interface BotJoinParams {
  CHAT_TYPE: string;
  MESSAGE_TYPE?: string;
  BOT_ID: FormScalar;
  USER_ID: FormScalar;
  DIALOG_ID: string;
  CHAT_ID?: FormScalar;
  LANGUAGE?: string;
  [key: string]: unknown;
}

export interface OnImBotMessageAddData {
  /** Keyed by bot id — or a list, when a form parser turned small numeric keys into an array. */
  BOT: Record<string, BotAuthBlock> | BotAuthBlock[];
  PARAMS: BotMessageParams;
  USER: BotEventUserData;
}

export interface OnImBotJoinChatData {
  BOT: Record<string, BotAuthBlock> | BotAuthBlock[];
  PARAMS: BotJoinParams;
  USER: BotEventUserData;
}

/** ONIMBOTDELETE carries just the bot, with no auth block. */
export interface OnImBotDeleteData {
  BOT_ID: FormScalar;
  BOT_CODE: string;
}
