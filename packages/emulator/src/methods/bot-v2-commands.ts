import type { BotRecord } from "../bots/bot-store.js";
import { postBotMessage, writeMessage } from "../bots/chat-actions.js";
import { type ChatRecord, chatById, dialogIdFor, messageById, parseDialogId } from "../bots/chat-store.js";
import {
  commandsOfBot,
  deleteV2Command,
  insertV2Command,
  type V2CommandRecord,
  v2CommandById,
  v2CommandListView,
  v2CommandView,
} from "../bots/v2-command-store.js";
import { calledCommands } from "../bots/v2-commands.js";
import { V2_LANGUAGE } from "../bots/v2-views.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, param } from "../calls/params.js";
import { ownedV2Bot, text, v2Fail, v2Flag } from "./bot-v2-access.js";
import { block, cut } from "./bot-v2-chats.js";

/*
 * Slash commands of Chatbots 2.0 bots: imbot.v2.Command.register/update/unregister/list/answer
 * (api-reference/chat-bots/chat-bots-v2/imbot.v2/commands/). Calls reach the bot as
 * ONIMBOTV2COMMANDADD (bots/v2-commands.ts).
 */

type Fields = Record<string, unknown>;

const notFound = () => v2Fail("COMMAND_NOT_FOUND", "Command not found");
const answerFailed = () => v2Fail("COMMAND_ANSWER_FAILED", "Command answer failed");

/**
 * `fields.command` without its `/`: "" when empty; COMMAND_NAME_INVALID when not a string
 * (or, a guess, with spaces inside: no message line could call it).
 */
function commandName(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw v2Fail("COMMAND_NAME_INVALID", "Command name is invalid");
  const name = value.trim().replace(/^\/+/, "");
  if (/\s/.test(name)) throw v2Fail("COMMAND_NAME_INVALID", "Command name is invalid");
  return name;
}

/** A `{langCode: text}` object of non-empty texts; a plain string counts as the portal language's. */
function translations(value: unknown): Record<string, string> {
  if (typeof value === "string") return value.trim() ? { [V2_LANGUAGE]: value.trim() } : {};
  const out: Record<string, string> = {};
  for (const [lang, t] of Object.entries(asRecord(value))) {
    if (text(t).trim()) out[lang.toLowerCase()] = text(t).trim();
  }
  return out;
}

/** The bot's command of `commandId` (COMMAND_NOT_FOUND otherwise). */
function ownCommand(ctx: CallContext, bot: BotRecord): V2CommandRecord {
  const command = v2CommandById(ctx.portal, asInt(param(ctx.params, "commandId")) ?? 0);
  if (command?.BOT_ID !== bot.ID) throw notFound();
  return command;
}

function register(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  // Without `fields` the legacy flat format (change-log.md, BOT-BC-0330-1).
  const raw = param(ctx.params, "fields");
  const fields: Fields = raw === undefined ? ctx.params : asRecord(raw);
  const name = commandName(fields.command);
  if (!name) throw v2Fail("COMMAND_REQUIRED", "Command is required");
  // Idempotent: the bot's command of that name comes back unchanged.
  const existing = commandsOfBot(ctx.portal, bot.ID).find((c) => c.COMMAND === name);
  if (existing) return { result: { command: v2CommandView(existing) } };
  const hidden = v2Flag(fields.hidden) ?? false;
  const title = translations(fields.title);
  if (!hidden && Object.keys(title).length === 0)
    throw v2Fail("COMMAND_TITLE_REQUIRED", "Command title is required");
  const command = insertV2Command(ctx.portal, {
    BOT_ID: bot.ID,
    COMMAND: name,
    TITLE: title,
    PARAMS: translations(fields.params),
    COMMON: v2Flag(fields.common) ?? false,
    HIDDEN: hidden,
    EXTRANET_SUPPORT: v2Flag(fields.extranetSupport) ?? false,
  });
  return { result: { command: v2CommandView(command) } };
}

/** `title`/`params` of update: a string sets a language, null removes it, an absent key keeps it. */
function mergeTexts(into: Record<string, string>, value: unknown, only?: (lang: string) => boolean): void {
  for (const [key, t] of Object.entries(asRecord(value))) {
    const lang = key.toLowerCase();
    if (only && !only(lang)) continue;
    if (t === null) delete into[lang];
    else if (text(t).trim()) into[lang] = text(t).trim();
  }
}

function update(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const command = ownCommand(ctx, bot);
  const fields = asRecord(param(ctx.params, "fields"));
  let name = command.COMMAND;
  if ("command" in fields) {
    name = commandName(fields.command);
    if (!name) throw v2Fail("COMMAND_NAME_EMPTY", "Command name is empty");
    const taken = commandsOfBot(ctx.portal, bot.ID).some((c) => c.ID !== command.ID && c.COMMAND === name);
    if (taken) throw v2Fail("COMMAND_ALREADY_EXISTS", "Command already exists");
  }
  command.COMMAND = name;
  mergeTexts(command.TITLE, fields.title);
  // Parameter hints follow the title's languages (command-update.md `fields.params`).
  for (const lang of Object.keys(command.PARAMS)) if (!(lang in command.TITLE)) delete command.PARAMS[lang];
  mergeTexts(command.PARAMS, fields.params, (lang) => lang in command.TITLE);
  command.COMMON = v2Flag(fields.common) ?? command.COMMON;
  command.HIDDEN = v2Flag(fields.hidden) ?? command.HIDDEN;
  command.EXTRANET_SUPPORT = v2Flag(fields.extranetSupport) ?? command.EXTRANET_SUPPORT;
  return { result: { command: v2CommandView(command) } };
}

function list(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const user = ctx.portal.users.get(bot.ID);
  const botName = [user?.NAME, user?.LAST_NAME].filter(Boolean).join(" ");
  const commands = commandsOfBot(ctx.portal, bot.ID).map((c) => v2CommandListView(c, botName, V2_LANGUAGE));
  return { result: { commands }, rows: commands.length };
}

/** Whether `dialogId` names `chat`: `chatN`, or in a private chat one of its two people. */
function namesChat(chat: ChatRecord, dialogId: unknown): boolean {
  const ref = parseDialogId(dialogId);
  if (!ref) return false;
  if (ref.kind === "chat") return ref.chatId === chat.ID;
  return chat.TYPE === "P" && chat.MEMBERS.includes(ref.userId);
}

/**
 * Command.answer: `messageId` + `commandId` must be a call of the bot's command
 * (command-answer.md: that pair grants access), `dialogId` its chat. In a chat the bot
 * is not in, the answer is a system message that starts with the bot's name.
 */
function answer(ctx: CallContext) {
  const { bot } = ownedV2Bot(ctx);
  const command = v2CommandById(ctx.portal, asInt(param(ctx.params, "commandId")) ?? 0);
  const message = messageById(ctx.portal, asInt(param(ctx.params, "messageId")) ?? 0);
  const chat = message ? chatById(ctx.portal, message.CHAT_ID) : undefined;
  const author = message ? ctx.portal.users.get(message.AUTHOR_ID) : undefined;
  if (command?.BOT_ID !== bot.ID || !message || !chat || !author) throw answerFailed();
  const called = calledCommands(ctx.portal, chat, message, author).some((c) => c.command.ID === command.ID);
  if (!called || !namesChat(chat, param(ctx.params, "dialogId"))) throw answerFailed();

  const fields = asRecord(param(ctx.params, "fields"));
  const reply = cut(text(fields.message).trim());
  const attach = block(fields.attach);
  const keyboard = block(fields.keyboard);
  if (!reply && attach === undefined) throw answerFailed();
  const extras = {
    ...(attach !== undefined ? { attach } : {}),
    ...(keyboard !== undefined ? { keyboard } : {}),
  };
  if (chat.MEMBERS.includes(bot.ID)) {
    const system = v2Flag(fields.system) ?? false;
    const posted = postBotMessage(ctx.world, ctx.portal, {
      botId: bot.ID,
      dialogId: dialogIdFor(chat, bot.ID),
      message: reply,
      system,
      ...extras,
    });
    // System messages have no author, as with Chat.Message.send.
    if (system) posted.message.AUTHOR_ID = 0;
  } else {
    const user = ctx.portal.users.get(bot.ID);
    const name = [user?.NAME, user?.LAST_NAME].filter(Boolean).join(" ");
    const written = writeMessage(ctx.world, ctx.portal, chat, bot.ID, `${name}: ${reply}`, {
      ...extras,
      system: true,
    });
    written.AUTHOR_ID = 0;
  }
  return { result: { result: true } };
}

const def = (name: string, run: MethodDef["run"]): MethodDef => ({ name, scope: "imbot", module: "im", run });

export const botV2CommandMethods: MethodDef[] = [
  def("imbot.v2.Command.register", register),
  def("imbot.v2.Command.update", update),
  def("imbot.v2.Command.unregister", (ctx) => {
    const { bot } = ownedV2Bot(ctx);
    deleteV2Command(ctx.portal, ownCommand(ctx, bot).ID);
    return { result: { result: true } };
  }),
  def("imbot.v2.Command.list", list),
  def("imbot.v2.Command.answer", answer),
];
