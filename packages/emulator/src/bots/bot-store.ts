import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/*
 * Chat bots of one portal (imbot.register, docs/protocol.md §12.1). A bot is a
 * portal user with IS_BOT set (hidden from user.get); its row here, keyed by
 * that user id, holds the code, type, owning app and handler URLs.
 */

const BOTS = "im_bots";

/** Max bots one app may register (§4.3). */
export const MAX_BOTS_PER_APP = 5;

/** B standard, O open lines, H "human", S supervisor (sees every message of its chats). */
export type BotType = "B" | "O" | "H" | "S";

export interface BotHandlers {
  EVENT_MESSAGE_ADD: string;
  EVENT_WELCOME_MESSAGE: string;
  EVENT_BOT_DELETE: string;
  EVENT_MESSAGE_UPDATE: string;
  EVENT_MESSAGE_DELETE: string;
}

export interface BotRecord extends BotHandlers {
  /** The bot's user id = BOT_ID. */
  ID: number;
  CODE: string;
  TYPE: BotType;
  OPENLINE: "Y" | "N";
  /** Owning app's client_id, or the CLIENT_ID a webhook registered it with. */
  CLIENT_ID: string;
  /** Registered through an incoming webhook with CLIENT_ID: events carry no tokens. */
  WEBHOOK: boolean;
  /** application_token sent with events of webhook bots (apps use their installation's). */
  APPLICATION_TOKEN: string;
  /** User who called imbot.register. */
  REGISTERED_BY: number;
  COLOR: string;
  /** Unix ms. */
  DATE_CREATE: number;
}

function asBot(row: Row | undefined): BotRecord | undefined {
  return row as unknown as BotRecord | undefined;
}

/** Every bot of the portal, oldest first. */
export function listBots(portal: Portal): BotRecord[] {
  return portal
    .table(BOTS)
    .all()
    .map((row) => row as unknown as BotRecord)
    .sort((a, b) => a.DATE_CREATE - b.DATE_CREATE || a.ID - b.ID);
}

export function botById(portal: Portal, botId: number): BotRecord | undefined {
  return asBot(portal.table(BOTS).get(botId));
}

export function botByCode(portal: Portal, code: string): BotRecord | undefined {
  return listBots(portal).find((bot) => bot.CODE === code);
}

/** Bots an app (or a webhook CLIENT_ID) registered, in registration order. */
export function botsOfClient(portal: Portal, clientId: string): BotRecord[] {
  return listBots(portal).filter((bot) => bot.CLIENT_ID === clientId);
}

export function storeBot(portal: Portal, bot: BotRecord): BotRecord {
  portal.table(BOTS).rows.set(bot.ID, bot as unknown as Row);
  return bot;
}

export function deleteBotRecord(portal: Portal, botId: number): void {
  portal.table(BOTS).delete(botId);
}
