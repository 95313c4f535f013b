import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { type ChatRecord, dialogIdFor, type MessageRecord } from "./chat-store.js";
import { queueUserEvent } from "./v2-event-queue.js";
import { V2_LANGUAGE, v2Chat, v2Message, v2User } from "./v2-views.js";

/*
 * User events of im.v2 (api-reference/chat-bots/chat-bots-v2/im.v2/): im.v2.Event.subscribe
 * turns recording on for the calling user; from then on what happens in the chats they
 * are in is queued for them (bots/v2-event-queue.ts) in the formats of im.v2/events/
 * events.md: `chat` as they see it without `role`/`muteList`, `user` with the online
 * fields false. One queue per user, whichever app reads it (event-get.md, "Exclusivity").
 */

const SUBSCRIBERS = "im_v2_subscribers";

export function subscribeUser(portal: Portal, userId: number, nowMs: number): void {
  const table = portal.table(SUBSCRIBERS);
  if (!table.get(userId)) table.rows.set(userId, { ID: userId, SINCE: nowMs });
}

export function unsubscribeUser(portal: Portal, userId: number): void {
  portal.table(SUBSCRIBERS).delete(userId);
}

export function isUserSubscribed(portal: Portal, userId: number): boolean {
  return portal.table(SUBSCRIBERS).get(userId) !== undefined;
}

type ImV2Event = "ONIMV2MESSAGEADD" | "ONIMV2MESSAGEUPDATE" | "ONIMV2MESSAGEDELETE" | "ONIMV2JOINCHAT";

/** Queues `type` for each subscribed member of `chat`; `data(viewerId)` besides `chat`, `user`, `language`. */
function record(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  type: ImV2Event,
  userId: number,
  data: (viewerId: number) => Record<string, unknown> = () => ({}),
): void {
  const subscribers = chat.MEMBERS.filter((id) => isUserSubscribed(portal, id));
  if (subscribers.length === 0) return;
  const nowMs = world.clock.nowMs();
  const user = portal.users.get(userId);
  for (const viewerId of subscribers) {
    queueUserEvent(
      portal,
      viewerId,
      type,
      {
        ...data(viewerId),
        chat: v2Chat(portal, chat, viewerId, true),
        user: user ? v2User(user, nowMs, true) : null,
        language: V2_LANGUAGE,
      },
      nowMs,
    );
  }
  world.onChange();
}

/** ONIMV2MESSAGEADD (the author's own messages included: the page excludes none). */
export function recordMessageAdd(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  message: MessageRecord,
): void {
  record(world, portal, chat, "ONIMV2MESSAGEADD", message.AUTHOR_ID, () => ({ message: v2Message(message) }));
}

export function recordMessageUpdate(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  message: MessageRecord,
): void {
  record(world, portal, chat, "ONIMV2MESSAGEUPDATE", message.AUTHOR_ID, () => ({
    message: v2Message(message),
  }));
}

export function recordMessageDelete(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  message: MessageRecord,
): void {
  record(world, portal, chat, "ONIMV2MESSAGEDELETE", message.AUTHOR_ID, () => ({ messageId: message.ID }));
}

/** ONIMV2JOINCHAT: `userId` was added to `chat`. */
export function recordJoinChat(world: World, portal: Portal, chat: ChatRecord, userId: number): void {
  record(world, portal, chat, "ONIMV2JOINCHAT", userId, (viewerId) => ({
    dialogId: dialogIdFor(chat, viewerId),
  }));
}
