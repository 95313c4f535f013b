import type { BotEvent, BotRef, BotUser } from "./bot-event-types.js";
import type { RoutedBotEvent } from "./bot-payloads.js";
import { id, obj, str } from "./form-values.js";
import { parseBotV2Event, routedBotV2Event } from "./parse-bot-v2-event.js";

export type { BotEvent, BotRef, BotUser } from "./bot-event-types.js";

const EVENTS: Record<string, RoutedBotEvent> = {
  ONIMBOTMESSAGEADD: "ONIMBOTMESSAGEADD",
  ONIMBOTJOINCHAT: "ONIMBOTJOINCHAT",
  ONIMBOTDELETE: "ONIMBOTDELETE",
  ONIMBOTV2MESSAGEADD: "ONIMBOTV2MESSAGEADD",
  ONIMBOTV2JOINCHAT: "ONIMBOTV2JOINCHAT",
  ONIMBOTV2DELETE: "ONIMBOTV2DELETE",
};

/** The event name if the router handles it (any case), else undefined. */
export function routedBotEvent(event: string): RoutedBotEvent | undefined {
  const name = typeof event === "string" ? event.toUpperCase() : "";
  return Object.hasOwn(EVENTS, name) ? EVENTS[name] : undefined;
}

/**
 * `data[BOT]`: an object keyed by bot id, or an array when the form parser
 * turned small numeric keys into one (qs with `arrayLimit` above the id). The
 * block's own BOT_ID wins; the key is the fallback.
 */
function botsOf(value: unknown): Array<BotRef & { memberId?: string }> {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((block) => ["", block])
    : Object.entries(obj(value) ?? {});
  const bots: Array<BotRef & { memberId?: string }> = [];
  for (const [key, raw] of entries) {
    const block = obj(raw);
    if (!block) continue;
    const botId = id(block.BOT_ID) || id(key);
    const code = str(block.BOT_CODE);
    if (!botId || !code) continue;
    const memberId = str(block.member_id);
    bots.push({ id: botId, code, ...(memberId ? { memberId } : {}) });
  }
  return bots;
}

function userOf(value: unknown): BotUser | undefined {
  const u = obj(value);
  const userId = id(u?.ID);
  if (!u || !userId) return undefined;
  return {
    id: userId,
    name: str(u.NAME),
    firstName: str(u.FIRST_NAME),
    lastName: str(u.LAST_NAME),
    workPosition: str(u.WORK_POSITION),
    isBot: str(u.IS_BOT) === "Y",
    isExtranet: str(u.IS_EXTRANET) === "Y",
  };
}

/**
 * Reads a bot event's `data` (docs/protocol.md §12.3; Chatbots 2.0 events in parse-bot-v2-event.ts). Undefined for another
 * event, or when what a handler needs is missing (no addressed bot, no dialog):
 * never throws.
 */
export function parseBotEvent(event: string, data: unknown): BotEvent | undefined {
  if (routedBotV2Event(event)) return parseBotV2Event(event, data);
  const name = routedBotEvent(event);
  const d = obj(data);
  if (!name || !d) return undefined;
  if (name === "ONIMBOTDELETE") {
    const botId = id(d.BOT_ID);
    const code = str(d.BOT_CODE);
    return botId && code ? { type: "delete", bot: { id: botId, code } } : undefined;
  }
  const bots = botsOf(d.BOT);
  const params = obj(d.PARAMS);
  const dialogId = str(params?.DIALOG_ID).trim();
  if (bots.length === 0 || !params || !dialogId) return undefined;
  const user = userOf(d.USER);
  const chatType = str(params.CHAT_TYPE) || str(params.MESSAGE_TYPE);
  if (name === "ONIMBOTJOINCHAT") {
    return {
      type: "join",
      bots,
      dialogId,
      chatType,
      userId: id(params.USER_ID) || (user?.id ?? 0),
      user,
      params,
    };
  }
  return {
    type: "message",
    bots,
    text: str(params.MESSAGE),
    messageId: id(params.MESSAGE_ID),
    dialogId,
    chatType,
    fromUserId: id(params.FROM_USER_ID) || id(params.AUTHOR_ID) || (user?.id ?? 0),
    user,
    params,
  };
}
