import type { MethodCaller } from "@b24kit/rest";
import type { RoutedBotEvent } from "./bot-payloads.js";
import type { BotRef, BotUser } from "./parse-bot-event.js";

/** What `ctx.reply` sends besides the text (imbot-message-add.md: ATTACH, KEYBOARD, MENU, SYSTEM, URL_PREVIEW). */
export interface BotReplyOptions {
  /** KEYBOARD: buttons under the message (chats/messages/keyboards.md), an array or its JSON. */
  keyboard?: unknown;
  /** ATTACH: a rich block (chats/messages/attachments.md), an object/array or its JSON. */
  attach?: unknown;
  /** MENU: the message's context menu items. */
  menu?: unknown;
  /** SYSTEM=Y: shown as a system message. */
  system?: boolean;
  /** URL_PREVIEW=N turns link previews off. */
  urlPreview?: boolean;
}

interface BotContextBase {
  event: RoutedBotEvent;
  memberId: string;
  /** The bot the event is addressed to. */
  bot: BotRef;
  /** The tenant's REST client (as the app). */
  client: MethodCaller;
}

/** Sends a message as the bot to the event's dialog (`imbot.message.add`); resolves with its id. */
export type BotReply = (text: string, options?: BotReplyOptions) => Promise<number>;

export interface BotMessageContext extends BotContextBase {
  /** MESSAGE as the bot sees it (in group chats without its mention). */
  text: string;
  messageId: number;
  /** Where the message was written: the author's id (private) or `chatN`; replies go there. */
  dialogId: string;
  /** P private, C group chat, O open line, … */
  chatType: string;
  fromUserId: number;
  user: BotUser | undefined;
  /** `data[PARAMS]` as it arrived. */
  params: Readonly<Record<string, unknown>>;
  reply: BotReply;
}

export interface BotCommandContext extends BotMessageContext {
  /** The command's name without the slash, lower-case (`/Deal 42` → `deal`). */
  command: string;
  /** The words after the command (`/deal 42 won` → `["42", "won"]`). */
  args: string[];
  /** Everything after the command, trimmed. */
  argsText: string;
}

export interface BotJoinContext extends BotContextBase {
  /** The dialog the bot was added to or opened in: the user's id (private) or `chatN`. */
  dialogId: string;
  chatType: string;
  userId: number;
  user: BotUser | undefined;
  params: Readonly<Record<string, unknown>>;
  reply: BotReply;
}

/** The bot was unregistered: no dialog to answer to. */
export type BotDeleteContext = BotContextBase;

/** A handler's answer: a string is sent as the reply; nothing sends nothing (it may have called `ctx.reply`). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that only calls ctx.reply returns void, which undefined would refuse
export type BotHandler<C> = (ctx: C) => string | undefined | void | Promise<string | undefined | void>;

/** The handlers of one bot, keyed in `BotHandlers` by its manifest code. */
export interface BotHandlerSet {
  /** `/name args` messages; keys without the slash, matched without regard to case. */
  commands?: Record<string, BotHandler<BotCommandContext>>;
  /** Every other message (and `/…` ones when the bot declares no commands). */
  message?: BotHandler<BotMessageContext>;
  /** A `/name` no command has; default: a reply listing the commands. */
  unknownCommand?: BotHandler<BotCommandContext>;
  /** ONIMBOTJOINCHAT: a user opened a dialog with the bot, or it was added to a chat. */
  join?: BotHandler<BotJoinContext>;
  /** ONIMBOTDELETE. */
  delete?: (ctx: BotDeleteContext) => void | Promise<void>;
}

/** Handler sets by bot code (the manifest's `bots[].code`). */
export type BotHandlers = Record<string, BotHandlerSet>;
