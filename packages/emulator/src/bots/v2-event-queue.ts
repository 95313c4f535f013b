import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";

/*
 * The polling queue of Chatbots 2.0 (api-reference/chat-bots/chat-bots-v2/imbot.v2/
 * events/event-get.md): events of fetch-mode bots (BOT_ID) and of users subscribed with
 * im.v2.Event.subscribe (USER_ID, im.v2/events/event-get.md) wait, in one portal-wide id
 * order, until a caller confirms them with an `offset` above their ids — so one offset
 * confirms both kinds for imbot.v2.Event.get's `withUserEvents`. Rows live in a portal
 * table, so they persist with --state.
 */

const QUEUE = "im_bot_v2_events";

/** User events are kept 24 hours (im.v2/index.md, "Limits and Restrictions"). */
const USER_EVENT_TTL_MS = 24 * 3600_000;

interface QueuedEvent {
  ID: number;
  /** 0 for a user event. */
  BOT_ID: number;
  /** Set for a user event. */
  USER_ID?: number;
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

/** Whose events a fetch reads: a bot's, a user's, or both. */
export interface QueueOwner {
  botId?: number;
  userId?: number;
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

export function queueUserEvent(
  portal: Portal,
  userId: number,
  type: string,
  data: Record<string, unknown>,
  nowMs: number,
): void {
  portal.table(QUEUE).insert({ BOT_ID: 0, USER_ID: userId, TYPE: type, DATE: nowMs, DATA: data });
}

function owned(e: QueuedEvent, owner: QueueOwner): boolean {
  if (e.USER_ID) return e.USER_ID === owner.userId;
  return owner.botId !== undefined && e.BOT_ID === owner.botId;
}

function pending(portal: Portal, owner: QueueOwner): QueuedEvent[] {
  return portal
    .table(QUEUE)
    .all()
    .map((row) => row as unknown as QueuedEvent)
    .filter((e) => owned(e, owner))
    .sort((a, b) => a.ID - b.ID);
}

/**
 * Confirms (drops) the owner's events below `offset` (and user events past their 24 hours),
 * then returns up to `limit` of the rest. `nextOffset` is one past the last event returned;
 * with none, the offset given (0 on a first call).
 */
export function fetchV2Events(
  portal: Portal,
  owner: QueueOwner,
  offset: number | undefined,
  limit: number,
  nowMs: number,
): FetchedEvents {
  const table = portal.table(QUEUE);
  for (const e of pending(portal, owner)) {
    const expired = e.USER_ID !== undefined && e.DATE < nowMs - USER_EVENT_TTL_MS;
    if ((offset !== undefined && e.ID < offset) || expired) table.delete(e.ID);
  }
  const rest = pending(portal, owner);
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
  for (const e of pending(portal, { botId })) table.delete(e.ID);
}
