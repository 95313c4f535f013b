import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";

/*
 * The event queue of fetch-mode bots (api-reference/chat-bots/chat-bots-v2/imbot.v2/
 * events/event-get.md): events wait, in portal-wide id order, until the bot confirms
 * them with an `offset` above their ids. Rows live in a portal table, so they persist
 * with --state.
 */

const QUEUE = "im_bot_v2_events";

interface QueuedEvent {
  ID: number;
  BOT_ID: number;
  TYPE: string;
  /** Unix ms. */
  DATE: number;
  DATA: Record<string, unknown>;
}

export interface FetchedEvents {
  events: Array<{ eventId: number; type: string; date: string; data: Record<string, unknown> }>;
  nextOffset: number;
  hasMore: boolean;
}

export function queueV2Event(
  portal: Portal,
  botId: number,
  type: string,
  data: Record<string, unknown>,
  nowMs: number,
): void {
  portal.table(QUEUE).insert({ BOT_ID: botId, TYPE: type, DATE: nowMs, DATA: data });
}

function pending(portal: Portal, botId: number): QueuedEvent[] {
  return portal
    .table(QUEUE)
    .all()
    .map((row) => row as unknown as QueuedEvent)
    .filter((e) => e.BOT_ID === botId)
    .sort((a, b) => a.ID - b.ID);
}

/**
 * Confirms (drops) the bot's events below `offset`, then returns up to `limit` of the
 * rest. `nextOffset` is one past the last event returned; with none, the offset given
 * (0 on a first call).
 */
export function fetchV2Events(
  portal: Portal,
  botId: number,
  offset: number | undefined,
  limit: number,
): FetchedEvents {
  const table = portal.table(QUEUE);
  if (offset !== undefined) for (const e of pending(portal, botId)) if (e.ID < offset) table.delete(e.ID);
  const rest = pending(portal, botId);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((e) => ({ eventId: e.ID, type: e.TYPE, date: isoWithOffset(e.DATE), data: e.DATA })),
    nextOffset: last ? last.ID + 1 : (offset ?? 0),
    hasMore: rest.length > page.length,
  };
}

/** Forgets the bot's queue (it was deleted). */
export function dropV2Events(portal: Portal, botId: number): void {
  const table = portal.table(QUEUE);
  for (const e of pending(portal, botId)) table.delete(e.ID);
}
