import type { BotEvent, BotUser } from "./bot-event-types.js";
import { id, obj, str } from "./form-values.js";

/*
 * Chatbots 2.0 events (chat-bots-v2/imbot.v2/events/events.md): `data` holds
 * `bot` {id, code, auth}, `message`, `chat`, `user` in camelCase. Webhook
 * deliveries are form-encoded, so every scalar arrives as a string (booleans
 * as "1"/"0"); a JSON body carries real types. Read both, never throw.
 */

/** `true` / "1" / "Y" (webhook mode sends booleans as "1" and "0"). */
const flag = (value: unknown) => value === true || value === "1" || value === "Y" || value === 1;

function userOf(value: unknown): BotUser | undefined {
  const u = obj(value);
  const userId = id(u?.id);
  if (!u || !userId) return undefined;
  return {
    id: userId,
    name: str(u.name),
    firstName: str(u.firstName),
    lastName: str(u.lastName),
    workPosition: str(u.workPosition),
    isBot: flag(u.bot),
    isExtranet: flag(u.extranet),
  };
}

const V2_EVENTS = new Set(["ONIMBOTV2MESSAGEADD", "ONIMBOTV2JOINCHAT", "ONIMBOTV2DELETE"]);

/** Whether the router handles this v2 event (any case). */
export function routedBotV2Event(event: string): boolean {
  return typeof event === "string" && V2_EVENTS.has(event.toUpperCase());
}

/**
 * A v2 event as the router's BotEvent: each delivery names one bot (events.md,
 * "Bot Object Format"). The dialog to answer is `chat.dialogId`, already the
 * counterpart's id in a private chat (chat-bots-v2/index.md, "Format of dialogId").
 */
export function parseBotV2Event(event: string, data: unknown): BotEvent | undefined {
  const name = typeof event === "string" ? event.toUpperCase() : "";
  const d = obj(data);
  const bot = obj(d?.bot);
  if (!d || !bot || !V2_EVENTS.has(name)) return undefined;
  const ref = { id: id(bot.id), code: str(bot.code), api: "v2" as const };
  if (!ref.id || !ref.code) return undefined;
  if (name === "ONIMBOTV2DELETE") return { type: "delete", bot: ref };
  const chat = obj(d.chat);
  const message = obj(d.message);
  const user = userOf(d.user);
  const dialogId = (str(chat?.dialogId) || str(d.dialogId)).trim();
  if (!dialogId) return undefined;
  const chatType = str(chat?.messageType) || str(chat?.type);
  const { bot: _bot, ...params } = d;
  if (name === "ONIMBOTV2JOINCHAT")
    return { type: "join", bots: [ref], dialogId, chatType, userId: user?.id ?? 0, user, params };
  if (!message) return undefined;
  return {
    type: "message",
    bots: [ref],
    text: str(message.text),
    messageId: id(message.id),
    dialogId,
    chatType,
    fromUserId: id(message.authorId) || (user?.id ?? 0),
    user,
    params,
  };
}
