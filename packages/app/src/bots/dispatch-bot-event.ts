import type { MethodCaller } from "@b24kit/rest";
import { findCommand, parseCommand, unknownCommandText } from "./bot-commands.js";
import type {
  BotCommandContext,
  BotHandler,
  BotHandlerSet,
  BotHandlers,
  BotMessageContext,
  BotReply,
} from "./bot-handlers.js";
import { botReply, botV2Reply } from "./bot-reply.js";
import { type BotEvent, type BotRef, parseBotEvent, routedBotEvent } from "./parse-bot-event.js";

/** One queued event of a tenant, as the worker holds it. */
export interface BotEventInput {
  /** The body's `event` (any case). */
  event: string;
  /** The body's `data`, as the form parser produced it. */
  data: unknown;
  /** The tenant's REST client: replies go through it. */
  client: MethodCaller;
  memberId: string;
}

export type BotDispatchOutcome = "handled" | "ignored";

function handlerSet(handlers: BotHandlers, code: string): BotHandlerSet | undefined {
  return Object.hasOwn(handlers, code) ? handlers[code] : undefined;
}

/** Runs a handler and sends a string answer as the reply. */
async function answer<C extends { reply: BotReply }>(handler: BotHandler<C>, ctx: C): Promise<void> {
  const result = await handler(ctx);
  if (typeof result === "string" && result.trim() !== "") await ctx.reply(result);
}

async function onMessage(set: BotHandlerSet, ctx: BotMessageContext): Promise<BotDispatchOutcome> {
  const commands = set.commands ?? {};
  const parsed = Object.keys(commands).length > 0 ? parseCommand(ctx.text) : undefined;
  if (parsed) {
    const commandCtx: BotCommandContext = {
      ...ctx,
      command: parsed.name,
      args: parsed.args,
      argsText: parsed.argsText,
    };
    const key = findCommand(commands, parsed.name);
    const handler = key !== undefined ? commands[key] : undefined;
    if (handler) {
      await answer(handler, commandCtx);
    } else if (set.unknownCommand) {
      await answer(set.unknownCommand, commandCtx);
    } else {
      await ctx.reply(unknownCommandText(parsed.name, commands));
    }
    return "handled";
  }
  if (!set.message) return "ignored";
  await answer(set.message, ctx);
  return "handled";
}

async function dispatchTo(
  bot: BotRef,
  set: BotHandlerSet,
  event: Exclude<BotEvent, { type: "delete" }>,
  input: BotEventInput,
): Promise<BotDispatchOutcome> {
  const v2 = bot.api === "v2";
  const reply = (v2 ? botV2Reply : botReply)(input.client, bot.id, event.dialogId);
  const base = {
    memberId: input.memberId,
    bot: { id: bot.id, code: bot.code, api: bot.api ?? "classic" },
    client: input.client,
  };
  if (event.type === "join") {
    if (!set.join) return "ignored";
    await answer(set.join, {
      ...base,
      event: v2 ? "ONIMBOTV2JOINCHAT" : "ONIMBOTJOINCHAT",
      dialogId: event.dialogId,
      chatType: event.chatType,
      userId: event.userId,
      user: event.user,
      params: event.params,
      reply,
    });
    return "handled";
  }
  // A bot never answers itself (the portal sends no events for bot messages; this guards loops anyway).
  if (event.fromUserId === bot.id) return "ignored";
  return onMessage(set, {
    ...base,
    event: v2 ? "ONIMBOTV2MESSAGEADD" : "ONIMBOTMESSAGEADD",
    text: event.text,
    messageId: event.messageId,
    dialogId: event.dialogId,
    chatType: event.chatType,
    fromUserId: event.fromUserId,
    user: event.user,
    params: event.params,
    reply,
  });
}

/**
 * Hands a bot event (docs/protocol.md §12.3) to the handler set of the bot's
 * code (`data[BOT][<id>].BOT_CODE`, ONIMBOTDELETE's `data.BOT_CODE`): a message
 * `/name args` to `commands[name]` (an unknown one gets a reply listing the
 * commands), any other message to `message`, ONIMBOTJOINCHAT to `join`,
 * ONIMBOTDELETE to `delete` — and the same for the Chatbots 2.0 events
 * (ONIMBOTV2MESSAGEADD, ONIMBOTV2JOINCHAT, ONIMBOTV2DELETE, `data.bot.code`),
 * whose replies go through imbot.v2.Chat.Message.send. A string a handler returns is sent as the bot's
 * reply to the event's dialog. An event addressed to several of the app's bots
 * goes to each. "ignored": not a bot event, malformed, or no handler for it.
 * Handler and reply failures reject: the caller decides about retries (a
 * repeated message event may answer twice).
 */
export async function dispatchBotEvent(
  input: BotEventInput,
  handlers: BotHandlers,
): Promise<BotDispatchOutcome> {
  if (!routedBotEvent(input.event)) return "ignored";
  const event = parseBotEvent(input.event, input.data);
  if (!event) return "ignored";
  if (event.type === "delete") {
    const set = handlerSet(handlers, event.bot.code);
    if (!set?.delete) return "ignored";
    await set.delete({
      event: event.bot.api === "v2" ? "ONIMBOTV2DELETE" : "ONIMBOTDELETE",
      memberId: input.memberId,
      bot: event.bot,
      client: input.client,
    });
    return "handled";
  }
  let outcome: BotDispatchOutcome = "ignored";
  for (const bot of event.bots) {
    // A block naming another portal is not this tenant's bot.
    if (bot.memberId !== undefined && bot.memberId !== input.memberId) continue;
    const set = handlerSet(handlers, bot.code);
    if (!set) continue;
    if ((await dispatchTo(bot, set, event, input)) === "handled") outcome = "handled";
  }
  return outcome;
}
