import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import { type BotRecord, type BotType, listBots } from "./bot-store.js";

/*
 * What a Chatbots 2.0 bot has beyond a classic one (api-reference/chat-bots/chat-bots-v2/
 * imbot.v2/bots/bot-register.md): its row in `im_bots` (bot-store.ts) makes it a bot every
 * chat sees; this row, keyed by the same id, marks it as registered through imbot.v2 (so it
 * gets only ONIMBOTV2* events, chat-bots-v2/index.md "Relevance of Methods") and holds
 * its v2 settings.
 */

const BOTS_V2 = "im_bots_v2";

/** Max bots one app may register through imbot.v2 (chat-bots-v2/index.md, "Limits"). */
export const MAX_V2_BOTS_PER_APP = 100;

/** `fields.type` values (bot-register.md, BOT_INVALID_TYPE). */
export const V2_BOT_TYPES = ["bot", "network", "openline", "supervisor", "personal"] as const;
export type V2BotType = (typeof V2_BOT_TYPES)[number];

export type EventMode = "fetch" | "webhook";

export interface V2BotRecord {
  /** The bot's user id, as in `im_bots`. */
  ID: number;
  TYPE: V2BotType;
  EVENT_MODE: EventMode;
  /** Handler of webhook mode ("" in fetch mode). */
  WEBHOOK_URL: string;
  /** Set when registered through an incoming webhook: the bot's owner is whoever holds it. */
  BOT_TOKEN: string;
  /**
   * application_token of its webhook-mode events when registered with a botToken (each such
   * bot has its own, bot-update.md "BotToken Rotation"); "" for app bots (the installation's).
   */
  APPLICATION_TOKEN: string;
  IS_HIDDEN: boolean;
  IS_REACTIONS_ENABLED: boolean;
  IS_SUPPORT_OPENLINE: boolean;
  BACKGROUND_ID: string | null;
}

/** Classic type letter stored in `im_bots`: personal bots see every message, as supervisors do (index.md "Bot Types"). */
export function classicType(type: V2BotType): BotType {
  if (type === "supervisor" || type === "personal") return "S";
  return type === "openline" ? "O" : "B";
}

/** The v2 name of a classic bot's type (bots registered through v1 are visible in v2, migration.md). */
export function v2TypeOf(bot: BotRecord): V2BotType {
  if (bot.TYPE === "S") return "supervisor";
  return bot.TYPE === "O" ? "openline" : "bot";
}

export function v2BotById(portal: Portal, botId: number): V2BotRecord | undefined {
  return portal.table(BOTS_V2).get(botId) as unknown as V2BotRecord | undefined;
}

/** Whether the bot was registered through imbot.v2 (and so gets v2 events only). */
export function isV2Bot(portal: Portal, botId: number): boolean {
  return v2BotById(portal, botId) !== undefined;
}

export function storeV2Bot(portal: Portal, bot: V2BotRecord): V2BotRecord {
  portal.table(BOTS_V2).rows.set(bot.ID, bot as unknown as Row);
  return bot;
}

export function deleteV2Bot(portal: Portal, botId: number): void {
  portal.table(BOTS_V2).delete(botId);
}

/** Bots registered through a webhook with this botToken. */
export function botsOfToken(portal: Portal, botToken: string): BotRecord[] {
  return listBots(portal).filter((bot) => v2BotById(portal, bot.ID)?.BOT_TOKEN === botToken);
}
