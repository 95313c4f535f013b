import { issueAuth } from "../state/app-auth.js";
import type { Installation, Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import type { BotRecord } from "./bot-store.js";
import { type ChatRecord, dialogIdFor, type MessageRecord } from "./chat-store.js";
import { type V2BotRecord, v2BotById } from "./v2-bot-store.js";
import { queueV2Event } from "./v2-event-queue.js";
import { V2_LANGUAGE, v2Bot, v2Chat, v2Message, v2User } from "./v2-views.js";

/*
 * ONIMBOTV2* events (api-reference/chat-bots/chat-bots-v2/imbot.v2/events/events.md).
 * Fetch-mode bots get them queued for imbot.v2.Event.get with the full Bot object;
 * webhook-mode bots get one form-encoded POST per bot (through the portal's event
 * queue, world.events) to their webhookUrl, with `data[bot]` = {id, code, auth}.
 * App bots' deliveries go through the subscriptions Bot.register made (event bindings
 * that show in event.get); bots registered with a botToken have no app to bind to.
 */

/** The eight subscriptions of a webhook-mode bot (bot-update.md, "Managing Event Subscriptions"). */
export const V2_EVENTS = [
  "ONIMBOTV2MESSAGEADD",
  "ONIMBOTV2MESSAGEUPDATE",
  "ONIMBOTV2MESSAGEDELETE",
  "ONIMBOTV2REACTIONCHANGE",
  "ONIMBOTV2COMMANDADD",
  "ONIMBOTV2JOINCHAT",
  "ONIMBOTV2CONTEXTGET",
  "ONIMBOTV2DELETE",
] as const;

export type V2EventName = (typeof V2_EVENTS)[number];

/** Binds the eight events to `url` for the app (once per event and URL). */
export function subscribeV2(world: World, installation: Installation, url: string): void {
  for (const event of V2_EVENTS) {
    if (installation.events.some((b) => b.event === event && b.handler === url)) continue;
    installation.events.push({
      id: world.nextId++,
      event,
      handler: url,
      authType: 0,
      eventType: "online",
      options: {},
      consecutiveFailures: 0,
    });
  }
}

/** Removes the app's ONIMBOTV2* bindings. */
export function unsubscribeV2(installation: Installation): void {
  const names = new Set<string>(V2_EVENTS);
  installation.events = installation.events.filter((b) => !names.has(b.event));
}

/** Webhook bodies carry no nulls: PHP's query builder writes them as "" (events.md, "Data Types in Webhook Mode"). */
function withoutNulls(value: unknown): unknown {
  if (value === null) return "";
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === "object" && value !== undefined)
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

/** `data[bot][auth]`: the bot user's tokens for an app bot; the portal's addresses only for a botToken bot. */
function botAuth(world: World, portal: Portal, installation: Installation, bot: BotRecord, appBot: boolean) {
  if (!appBot) {
    return {
      domain: portal.domain,
      client_endpoint: world.clientEndpoint(portal),
      server_endpoint: world.serverEndpoint,
      member_id: portal.memberId,
      application_token: installation.applicationToken,
    };
  }
  const a = issueAuth(world, portal, installation, bot.ID);
  return {
    access_token: a.access_token,
    expires: a.expires,
    expires_in: a.expires_in,
    scope: a.scope,
    domain: a.domain,
    server_endpoint: a.server_endpoint,
    status: a.status,
    client_endpoint: a.client_endpoint,
    member_id: a.member_id,
    user_id: a.user_id,
    refresh_token: a.refresh_token,
    application_token: a.application_token,
  };
}

/** Where a webhook-mode bot's event goes: its app's binding of the event to its URL, or its URL. */
function webhookRoute(portal: Portal, bot: BotRecord, v2: V2BotRecord, event: V2EventName) {
  if (v2.BOT_TOKEN) {
    const installation: Installation = {
      clientId: bot.CLIENT_ID,
      installed: true,
      applicationToken: v2.APPLICATION_TOKEN,
      scopes: ["imbot"],
      version: 1,
      status: "L",
      installedByUserId: bot.REGISTERED_BY,
      events: [],
      placements: [],
    };
    return { installation, appBot: false };
  }
  const installation = portal.installations.get(bot.CLIENT_ID);
  // Events are not delivered until the installation is finished (§2.1).
  if (!installation?.installed) return undefined;
  const binding = installation.events.find(
    (b) => b.event === event && b.handler === v2.WEBHOOK_URL && b.eventType === "online",
  );
  return binding ? { installation, binding, appBot: true } : undefined;
}

/** Sends one event to one v2 bot; `payload(online)` is the data besides `bot`. */
function deliver(
  world: World,
  portal: Portal,
  bot: BotRecord,
  event: V2EventName,
  payload: (online: boolean) => Record<string, unknown>,
): void {
  const v2 = v2BotById(portal, bot.ID);
  if (!v2) return;
  if (v2.EVENT_MODE === "fetch") {
    const data = { bot: v2Bot(portal, bot, true), ...payload(false) };
    queueV2Event(portal, bot.ID, event, data, world.clock.nowMs());
    world.onChange();
    return;
  }
  const route = webhookRoute(portal, bot, v2, event);
  if (!route || !v2.WEBHOOK_URL) return;
  const block = {
    id: bot.ID,
    code: bot.CODE,
    auth: botAuth(world, portal, route.installation, bot, route.appBot),
  };
  void world.events.post({
    portal,
    installation: route.installation,
    ...(route.binding ? { binding: route.binding } : {}),
    handler: v2.WEBHOOK_URL,
    event,
    data: withoutNulls({ bot: block, ...payload(true) }),
    authUserId: null,
  });
}

/** ONIMBOTV2MESSAGEADD to each addressed v2 bot; `chat` and `dialogId` as the bot sees them. */
export function sendV2MessageAdd(
  world: World,
  portal: Portal,
  bots: BotRecord[],
  chat: ChatRecord,
  message: MessageRecord,
  author: PortalUser,
): void {
  const nowMs = world.clock.nowMs();
  for (const bot of bots) {
    deliver(world, portal, bot, "ONIMBOTV2MESSAGEADD", (online) => ({
      message: v2Message(message),
      chat: v2Chat(portal, chat, bot.ID, true),
      user: v2User(author, nowMs, online),
      language: V2_LANGUAGE,
    }));
  }
}

/** ONIMBOTV2JOINCHAT: `user` opened a dialog with the bot or added it to a group chat. */
export function sendV2JoinChat(
  world: World,
  portal: Portal,
  bot: BotRecord,
  chat: ChatRecord,
  user: PortalUser,
): void {
  const nowMs = world.clock.nowMs();
  deliver(world, portal, bot, "ONIMBOTV2JOINCHAT", (online) => ({
    dialogId: dialogIdFor(chat, bot.ID),
    chat: v2Chat(portal, chat, bot.ID, true),
    user: v2User(user, nowMs, online),
    language: V2_LANGUAGE,
  }));
}

/** ONIMBOTV2DELETE: only the Bot object (sent before the bot's records go). */
export function sendV2Delete(world: World, portal: Portal, bot: BotRecord): void {
  deliver(world, portal, bot, "ONIMBOTV2DELETE", () => ({}));
}

/** What ONIMBOTV2COMMANDADD's `command` holds (events.md, "Command Object"). */
export interface V2CommandCall {
  id: number;
  /** With its leading `/`. */
  command: string;
  params: string;
  context: "textarea" | "keyboard" | "menu";
}

/** ONIMBOTV2COMMANDADD: `author` called one of the bot's commands in `message`. */
export function sendV2CommandAdd(
  world: World,
  portal: Portal,
  bot: BotRecord,
  call: V2CommandCall,
  chat: ChatRecord,
  message: MessageRecord,
  author: PortalUser,
): void {
  const nowMs = world.clock.nowMs();
  deliver(world, portal, bot, "ONIMBOTV2COMMANDADD", (online) => ({
    command: { ...call },
    message: v2Message(message),
    chat: v2Chat(portal, chat, bot.ID, true),
    user: v2User(author, nowMs, online),
    language: V2_LANGUAGE,
  }));
}
