import { randomUUID } from "node:crypto";
import { issueAuth } from "../state/app-auth.js";
import type { EventBinding } from "../state/event-binding.js";
import type { Installation, Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import type { BotHandlers, BotRecord } from "./bot-store.js";
import { type ChatRecord, type MessageRecord, previousMessageId } from "./chat-store.js";

/*
 * Bot events of docs/protocol.md §12.3: form-encoded POSTs (through the portal's
 * event queue, world.events) to the handlers an app bound with imbot.register.
 * imbot.register binds the app's handlers as ordinary event bindings (they
 * show in event.get); an event goes to every binding of the app for it, with
 * `data[BOT]` holding the auth block of each addressed bot of that app.
 */

export const BOT_EVENTS = {
  ONIMBOTMESSAGEADD: "EVENT_MESSAGE_ADD",
  ONIMBOTJOINCHAT: "EVENT_WELCOME_MESSAGE",
  ONIMBOTDELETE: "EVENT_BOT_DELETE",
  ONIMBOTMESSAGEUPDATE: "EVENT_MESSAGE_UPDATE",
  ONIMBOTMESSAGEDELETE: "EVENT_MESSAGE_DELETE",
} as const satisfies Record<string, keyof BotHandlers>;

export type BotEventName = keyof typeof BOT_EVENTS;

/** Portal language sent as LANGUAGE (the emulator's portals are English). */
const LANGUAGE = "en";

/** Binds the bot's handlers to the app (once per event and URL), as imbot.register does. */
export function bindBotHandlers(world: World, installation: Installation, bot: BotHandlers): void {
  for (const [event, field] of Object.entries(BOT_EVENTS)) {
    const handler = bot[field];
    if (!handler) continue;
    if (installation.events.some((b) => b.event === event && b.handler === handler)) continue;
    installation.events.push({
      id: world.nextId++,
      event,
      handler,
      authType: 0,
      eventType: "online",
      options: {},
      consecutiveFailures: 0,
    });
  }
}

/** Removes the app's bot event bindings (its last bot is gone). */
export function unbindBotHandlers(installation: Installation): void {
  const names = new Set<string>(Object.keys(BOT_EVENTS));
  for (let i = installation.events.length - 1; i >= 0; i--) {
    const binding = installation.events[i];
    if (binding && names.has(binding.event)) installation.events.splice(i, 1);
  }
}

/** Where an event of this bot goes: the app's bindings, or the bot's own URL for webhook bots. */
interface Route {
  installation: Installation;
  targets: Array<{ handler: string; binding?: EventBinding }>;
}

function routeFor(portal: Portal, bot: BotRecord, event: BotEventName): Route | undefined {
  if (bot.WEBHOOK) {
    const handler = bot[BOT_EVENTS[event]];
    if (!handler) return undefined;
    const installation: Installation = {
      clientId: bot.CLIENT_ID,
      installed: true,
      applicationToken: bot.APPLICATION_TOKEN,
      scopes: [],
      version: 1,
      status: "L",
      installedByUserId: bot.REGISTERED_BY,
      events: [],
      placements: [],
    };
    return { installation, targets: [{ handler }] };
  }
  const installation = portal.installations.get(bot.CLIENT_ID);
  // Events are not delivered until the installation is finished (§2.1).
  if (!installation?.installed) return undefined;
  const targets = installation.events
    .filter((b) => b.event === event && b.eventType === "online" && b.handler)
    .map((binding) => ({ handler: binding.handler, binding }));
  return targets.length ? { installation, targets } : undefined;
}

/** `data[BOT][<id>]`: the bot user's full auth block (nested once more as AUTH) plus BOT_ID and BOT_CODE. */
function botAuthBlock(
  world: World,
  portal: Portal,
  installation: Installation,
  bot: BotRecord,
): Record<string, unknown> {
  if (bot.WEBHOOK) {
    return {
      domain: portal.domain,
      client_endpoint: world.clientEndpoint(portal),
      server_endpoint: world.serverEndpoint,
      member_id: portal.memberId,
      application_token: installation.applicationToken,
      BOT_ID: bot.ID,
      BOT_CODE: bot.CODE,
    };
  }
  const a = issueAuth(world, portal, installation, bot.ID);
  const auth = {
    access_token: a.access_token,
    expires: a.expires,
    expires_in: a.expires_in,
    scope: a.scope,
    domain: a.domain,
    server_endpoint: a.server_endpoint,
    status: a.status,
    client_endpoint: a.client_endpoint,
    member_id: a.member_id,
    refresh_token: a.refresh_token,
    user_id: a.user_id,
    client_id: installation.clientId,
    application_token: a.application_token,
  };
  return { ...auth, AUTH: { ...auth }, BOT_ID: bot.ID, BOT_CODE: bot.CODE };
}

function yn(flag: boolean | undefined): "Y" | "N" {
  return flag ? "Y" : "N";
}

/** `data[USER]` of ONIMBOTMESSAGEADD; `short` drops the IS_* flags (ONIMBOTJOINCHAT). */
export function eventUser(user: PortalUser, short = false): Record<string, unknown> {
  const base = {
    ID: user.ID,
    NAME: [user.NAME, user.LAST_NAME].filter(Boolean).join(" "),
    FIRST_NAME: user.NAME,
    LAST_NAME: user.LAST_NAME,
    WORK_POSITION: user.WORK_POSITION,
    GENDER: user.PERSONAL_GENDER,
  };
  if (short) return base;
  return {
    ...base,
    IS_BOT: yn(user.IS_BOT),
    IS_CONNECTOR: "N",
    IS_NETWORK: "N",
    IS_EXTRANET: yn(user.USER_TYPE === "extranet"),
  };
}

/** Groups bots by owning app so each app gets one event listing its addressed bots. */
function byOwner(bots: BotRecord[]): BotRecord[][] {
  const groups = new Map<string, BotRecord[]>();
  for (const bot of bots) {
    const key = `${bot.WEBHOOK ? "hook" : "app"}:${bot.CLIENT_ID}`;
    groups.set(key, [...(groups.get(key) ?? []), bot]);
  }
  return [...groups.values()];
}

function send(
  world: World,
  portal: Portal,
  bots: BotRecord[],
  event: BotEventName,
  data: (botBlock: () => Record<string, unknown>) => Record<string, unknown>,
  authUserId: number,
  includeRefreshToken: boolean,
): void {
  for (const group of byOwner(bots)) {
    const first = group[0];
    if (!first) continue;
    const route = routeFor(portal, first, event);
    if (!route) continue;
    for (const target of route.targets) {
      // Tokens are issued only for events that carry data[BOT].
      const botBlock = () =>
        Object.fromEntries(
          group.map((bot) => [String(bot.ID), botAuthBlock(world, portal, route.installation, bot)]),
        );
      void world.events.post({
        portal,
        installation: route.installation,
        ...(target.binding ? { binding: target.binding } : {}),
        handler: target.handler,
        event,
        data: data(botBlock),
        authUserId: first.WEBHOOK ? null : authUserId,
        includeRefreshToken,
      });
    }
  }
}

const MESSAGE_FLAGS = {
  PUSH: "Y",
  PUSH_IMPORTANT: "N",
  RECENT_SKIP_AUTHOR: "N",
  CONVERT: "N",
  SKIP_COMMAND: "N",
  SKIP_COUNTER_INCREMENTS: "N",
  SILENT_CONNECTOR: "N",
  SKIP_CONNECTOR: "N",
  IMPORTANT_CONNECTOR: "N",
  NO_SESSION_OL: "N",
  FAKE_RELATION: "0",
  SKIP_URL_INDEX: "N",
  COMMAND_CONTEXT: "TEXTAREA",
};

/** Removes `[USER=<botId>]…[/USER]` mentions of the addressed bots, as MESSAGE shows it in group chats. */
function stripMentions(text: string, botIds: number[]): string {
  let out = text;
  for (const id of botIds) out = out.replace(new RegExp(`\\[USER=${id}\\][\\s\\S]*?\\[/USER\\]`, "gi"), "");
  return out.trim();
}

/** User ids mentioned with `[USER=id]…[/USER]`. */
export function mentionedUserIds(text: string): number[] {
  return [...text.matchAll(/\[USER=(\d+)\]/gi)].map((m) => Number(m[1]));
}

/** ONIMBOTMESSAGEADD for `bots` (members of `chat` the message is addressed to); `auth` is the author's. */
export function sendMessageAdd(
  world: World,
  portal: Portal,
  bots: BotRecord[],
  chat: ChatRecord,
  message: MessageRecord,
  author: PortalUser,
): void {
  if (bots.length === 0) return;
  const previous = chat.TYPE === "C" ? previousMessageId(portal, chat.ID, message.ID) : undefined;
  for (const group of byOwner(bots)) {
    const botIds = group.map((b) => b.ID);
    const firstBot = group[0];
    if (!firstBot) continue;
    const common = {
      TEMPLATE_ID: message.UUID ?? randomUUID(),
      MESSAGE_TYPE: chat.TYPE,
      FROM_USER_ID: author.ID,
      DIALOG_ID: chat.TYPE === "C" ? `chat${chat.ID}` : String(author.ID),
      TO_CHAT_ID: chat.ID,
      AUTHOR_ID: author.ID,
      SYSTEM: message.SYSTEM,
    };
    const params =
      chat.TYPE === "P"
        ? {
            MESSAGE: message.MESSAGE,
            ...common,
            TO_USER_ID: firstBot.ID,
            ...MESSAGE_FLAGS,
            CHAT_USER_COUNT: chat.MEMBERS.length,
            PLATFORM_CONTEXT: "web",
            MESSAGE_ID: message.ID,
            CHAT_TYPE: "P",
            LANGUAGE,
            ...messageExtras(message),
          }
        : {
            MESSAGE: stripMentions(message.MESSAGE, botIds),
            ...common,
            CHAT_ID: chat.ID,
            CHAT_TITLE: chat.TITLE,
            CHAT_AUTHOR_ID: chat.AUTHOR_ID,
            CHAT_TYPE: "C",
            CHAT_AVATAR: "0",
            CHAT_COLOR: chat.COLOR,
            CHAT_ENTITY_TYPE: "",
            CHAT_ENTITY_ID: "",
            CHAT_ENTITY_DATA_1: "",
            CHAT_ENTITY_DATA_2: "",
            CHAT_ENTITY_DATA_3: "",
            CHAT_EXTRANET: "N",
            CHAT_PREV_MESSAGE_ID: previous ?? 0,
            CHAT_CAN_POST: "MEMBER",
            RID: author.ID,
            IS_MANAGER: "N",
            ...MESSAGE_FLAGS,
            CHAT_USER_COUNT: chat.MEMBERS.length,
            MENTIONED_LIST: Object.fromEntries(
              mentionedUserIds(message.MESSAGE).map((id) => [String(id), String(id)]),
            ),
            PLATFORM_CONTEXT: "web",
            MESSAGE_ORIGINAL: message.MESSAGE,
            TO_USER_ID: firstBot.ID,
            MESSAGE_ID: message.ID,
            LANGUAGE,
            ...messageExtras(message),
          };
    send(
      world,
      portal,
      group,
      "ONIMBOTMESSAGEADD",
      (bot) => ({ BOT: bot(), PARAMS: params, USER: eventUser(author) }),
      author.ID,
      true,
    );
  }
}

function messageExtras(message: MessageRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["ATTACH", "KEYBOARD", "MENU"])
    if (message.PARAMS[key] !== undefined) out[key] = message.PARAMS[key];
  return out;
}

/** ONIMBOTJOINCHAT: `user` opened a dialog with the bot, or added it to a group chat. */
export function sendJoinChat(
  world: World,
  portal: Portal,
  bot: BotRecord,
  chat: ChatRecord,
  user: PortalUser,
): void {
  const params =
    chat.TYPE === "P"
      ? {
          CHAT_TYPE: "P",
          MESSAGE_TYPE: "P",
          BOT_ID: bot.ID,
          USER_ID: user.ID,
          TO_USER_ID: user.ID,
          FROM_USER_ID: bot.ID,
          DIALOG_ID: String(user.ID),
          LANGUAGE,
        }
      : {
          CHAT_TYPE: "C",
          MESSAGE_TYPE: "C",
          BOT_ID: bot.ID,
          USER_ID: user.ID,
          CHAT_ID: chat.ID,
          CHAT_AUTHOR_ID: chat.AUTHOR_ID,
          CHAT_ENTITY_TYPE: "",
          CHAT_ENTITY_ID: "",
          ACCESS_HISTORY: "1",
          DIALOG_ID: `chat${chat.ID}`,
          LANGUAGE,
        };
  send(
    world,
    portal,
    [bot],
    "ONIMBOTJOINCHAT",
    (bot) => ({ BOT: bot(), PARAMS: params, USER: eventUser(user, true) }),
    user.ID,
    false,
  );
}

/** ONIMBOTDELETE: `data` is just BOT_ID and BOT_CODE; `auth` is the acting user's. */
export function sendBotDelete(world: World, portal: Portal, bot: BotRecord, actingUserId: number): void {
  send(
    world,
    portal,
    [bot],
    "ONIMBOTDELETE",
    () => ({ BOT_ID: bot.ID, BOT_CODE: bot.CODE }),
    actingUserId,
    false,
  );
}
