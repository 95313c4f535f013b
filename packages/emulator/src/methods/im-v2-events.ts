import { subscribeUser, unsubscribeUser } from "../bots/im-v2-events.js";
import { fetchV2Events } from "../bots/v2-event-queue.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { pageOf } from "./bot-v2-chats.js";

/*
 * im.v2.Event.subscribe/unsubscribe/get (api-reference/chat-bots/chat-bots-v2/im.v2/events/):
 * the calling user's messenger events, polling only, no botId. The pages document no
 * errors of their own; without a subscription get answers an empty `events`.
 */

function get(ctx: CallContext) {
  const fetched = fetchV2Events(ctx.portal, { userId: ctx.user.ID }, ...pageOf(ctx), ctx.nowMs);
  ctx.world.onChange();
  return { result: fetched, rows: fetched.events.length };
}

const def = (name: string, run: MethodDef["run"]): MethodDef => ({ name, scope: "im", module: "im", run });

export const imV2EventMethods: MethodDef[] = [
  def("im.v2.Event.subscribe", (ctx) => {
    subscribeUser(ctx.portal, ctx.user.ID, ctx.nowMs);
    return { result: true };
  }),
  // Events already recorded stay readable (event-unsubscribe.md).
  def("im.v2.Event.unsubscribe", (ctx) => {
    unsubscribeUser(ctx.portal, ctx.user.ID);
    return { result: true };
  }),
  def("im.v2.Event.get", get),
];
