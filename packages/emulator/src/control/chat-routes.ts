import type { FastifyInstance, FastifyReply } from "fastify";
import { listBots } from "../bots/bot-store.js";
import {
  ChatError,
  createGroupChat,
  dialogMessages,
  joinBot,
  messageView,
  userDialogs,
} from "../bots/chat-actions.js";
import { chatById, dialogIdFor, messageById } from "../bots/chat-store.js";
import { uiCaller } from "../portal-ui/ui-caller.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { chatJoinBody, chatMessageBody, newChatBody, viewerQuery } from "./chat-input.js";
import { readBody } from "./control-body.js";

function bad(reply: FastifyReply, status: number, message: string, code?: string): FastifyReply {
  return reply.code(status).send({ error: message, ...(code ? { code } : {}) });
}

/**
 * Control API for the portal's messenger (docs/protocol.md §12): people write to
 * bots and chats, bots join dialogs, tests read what was said. Everything goes
 * through src/bots/chat-actions, as the portal UI's chat page does.
 */
export function registerChatRoutes(app: FastifyInstance, world: World, executor: RestExecutor): void {
  const withPortal = (memberId: string, reply: FastifyReply): Portal | undefined => {
    const portal = world.portal(memberId);
    if (!portal) bad(reply, 404, `No portal with member_id ${memberId}`);
    return portal;
  };
  const handle = <T>(reply: FastifyReply, run: () => T): T | FastifyReply => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ChatError) return bad(reply, error.status, error.description, error.code);
      throw error;
    }
  };

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m/bots", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return {
      bots: listBots(portal).map((bot) => {
        const user = portal.users.get(bot.ID);
        return {
          id: bot.ID,
          code: bot.CODE,
          type: bot.TYPE,
          openline: bot.OPENLINE,
          clientId: bot.CLIENT_ID,
          webhook: bot.WEBHOOK,
          name: [user?.NAME, user?.LAST_NAME].filter(Boolean).join(" "),
          handlers: {
            EVENT_MESSAGE_ADD: bot.EVENT_MESSAGE_ADD,
            EVENT_WELCOME_MESSAGE: bot.EVENT_WELCOME_MESSAGE,
            EVENT_BOT_DELETE: bot.EVENT_BOT_DELETE,
            EVENT_MESSAGE_UPDATE: bot.EVENT_MESSAGE_UPDATE,
            EVENT_MESSAGE_DELETE: bot.EVENT_MESSAGE_DELETE,
          },
        };
      }),
    };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/chats", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(newChatBody, request.body, reply);
    if (!b) return reply;
    return handle(reply, () => {
      const chat = createGroupChat(world, portal, {
        ...(b.title !== undefined ? { title: b.title } : {}),
        authorId: b.authorId ?? portal.uiUserId,
        memberIds: b.userIds ?? [],
      });
      return reply
        .code(201)
        .send({ chatId: chat.ID, dialogId: `chat${chat.ID}`, title: chat.TITLE, members: chat.MEMBERS });
    });
  });

  app.get<{ Params: { m: string }; Querystring: { userId?: string } }>(
    "/_emulator/portals/:m/chat/dialogs",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const query = readBody(viewerQuery, request.query, reply);
      if (!query) return reply;
      const userId = query.userId ?? portal.uiUserId;
      return { userId, dialogs: userDialogs(portal, userId) };
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/chat/messages", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(chatMessageBody, request.body, reply);
    if (!b) return reply;
    const fromUserId = b.fromUserId ?? portal.uiUserId;
    // im.message.add as that user, through the executor: the same rights, events and storage as the app's call.
    const posted = await executor.execute(portal, uiCaller(portal, fromUserId), "im.message.add", {
      DIALOG_ID: b.dialogId,
      MESSAGE: b.message ?? "",
      ...(b.attach !== undefined ? { ATTACH: b.attach } : {}),
      ...(b.keyboard !== undefined ? { KEYBOARD: b.keyboard } : {}),
      ...(b.menu !== undefined ? { MENU: b.menu } : {}),
    });
    if (!posted.ok) return bad(reply, posted.error.status, posted.error.description, posted.error.code);
    const message = messageById(portal, Number(posted.output.result))!;
    return reply.code(201).send({
      messageId: message.ID,
      chatId: message.CHAT_ID,
      dialogId: dialogIdFor(chatById(portal, message.CHAT_ID)!, fromUserId),
      message: messageView(message),
    });
  });

  app.get<{ Params: { m: string; d: string }; Querystring: { userId?: string } }>(
    "/_emulator/portals/:m/chat/:d/messages",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const query = readBody(viewerQuery, request.query, reply);
      if (!query) return reply;
      const viewerId = query.userId ?? portal.uiUserId;
      return handle(reply, () => {
        const { chat, messages } = dialogMessages(portal, viewerId, request.params.d);
        return {
          chatId: chat?.ID ?? null,
          dialogId: chat ? dialogIdFor(chat, viewerId) : request.params.d,
          messages: messages.map(messageView),
        };
      });
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/chat/join", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(chatJoinBody, request.body, reply);
    if (!b) return reply;
    const { botId, userId, chatId, byUserId } = b;
    return handle(reply, () => {
      const { joined, chat } = joinBot(world, portal, {
        botId,
        ...(chatId !== undefined ? { chatId } : { userId }),
        ...(byUserId !== undefined ? { byUserId } : {}),
      });
      const viewer = chat.TYPE === "P" ? (userId ?? botId) : botId;
      return { joined, chatId: chat.ID, dialogId: dialogIdFor(chat, viewer) };
    });
  });
}
