import { control } from "@b24kit/emulator/testing";
import type { Caller, MethodPage, PageContext } from "../page-fixture.js";
import { type Shape, shapeMismatches } from "../shape.js";
import { groupChat, USER, vars } from "./chat-bots-v2.js";

/*
 * User events of im.v2 (api-reference/chat-bots/chat-bots-v2/im.v2/events/): the pages
 * document no errors of their own. Calls are an app's with scope `im`, acting as the
 * user who installed it.
 */

const IM_USER_APP: Caller = { app: ["im"] };
const PAGES = "api-reference/chat-bots/chat-bots-v2/im.v2/events";

/** events.md's ONIMV2MESSAGEADD data. */
const MESSAGE_ADD: Shape = {
  message: {
    id: "number",
    chatId: "number",
    authorId: "number",
    date: "datetime|null",
    text: "string",
    isSystem: "boolean",
    uuid: "string",
    forward: "object|null",
    params: "object",
    viewedByOthers: "boolean",
  },
  chat: { id: "number", dialogId: "string", type: "string", name: "string", "...": "any" },
  user: USER,
  language: "string",
};

/** The app's user subscribed, and Anna's message in a group chat with them. */
async function subscribed(ctx: PageContext): Promise<void> {
  const app = await ctx.app(["im"]);
  await ctx.call("im.v2.Event.subscribe", {}, IM_USER_APP);
  const added = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: "Anna" });
  const dialogId = await groupChat(ctx, [added.user.ID, app.auth.user_id]);
  vars(ctx).chat = dialogId;
  await control(ctx.emu).request("POST", `portals/${ctx.portal.memberId}/chat/messages`, {
    fromUserId: added.user.ID,
    dialogId,
    message: "Hello team",
  });
}

const subscribe: MethodPage = {
  method: "im.v2.Event.subscribe",
  page: `${PAGES}/event-subscribe.md`,
  scope: "im",
  parameters: [],
  calls: [{ as: IM_USER_APP, params: {}, result: "boolean" }],
};

const unsubscribe: MethodPage = {
  method: "im.v2.Event.unsubscribe",
  page: `${PAGES}/event-unsubscribe.md`,
  scope: "im",
  parameters: [],
  setup: subscribed,
  calls: [{ as: IM_USER_APP, params: {}, result: "boolean" }],
};

const get: MethodPage = {
  method: "im.v2.Event.get",
  page: `${PAGES}/event-get.md`,
  scope: "im",
  parameters: [{ name: "offset" }, { name: "limit" }],
  setup: subscribed,
  calls: [
    {
      as: IM_USER_APP,
      params: { limit: 50 },
      result: {
        events: [{ eventId: "number", type: "string", date: "datetime", data: "object" }],
        nextOffset: "number",
        hasMore: "boolean",
      },
      check: (result) => {
        const [event] = result.events;
        if (result.events.length !== 1 || event.type !== "ONIMV2MESSAGEADD")
          throw new Error(JSON.stringify(result));
        const problems = shapeMismatches(event.data, MESSAGE_ADD, "data");
        if (problems.length > 0) throw new Error(problems.join("\n"));
      },
    },
  ],
};

export const imV2EventPages: MethodPage[] = [subscribe, unsubscribe, get];
