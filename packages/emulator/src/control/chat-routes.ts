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

type Body = Record<string, unknown>;

function bad(reply: FastifyReply, status: number, message: string, code?: string): FastifyReply {
  return reply.code(status).send({ error: message, ...(code ? { code } : {}) });
}

function id(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
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
    const b = (request.body ?? {}) as Body;
    const authorId = b.authorId === undefined ? portal.uiUserId : id(b.authorId);
    if (authorId === undefined) return bad(reply, 400, "authorId must be a user id");
    const raw = Array.isArray(b.userIds) ? b.userIds : [];
    const memberIds = raw.map(id);
    if (memberIds.some((v) => v === undefined)) return bad(reply, 400, "userIds must be user ids");
    return handle(reply, () => {
      const chat = createGroupChat(world, portal, {
        ...(typeof b.title === "string" ? { title: b.title } : {}),
        authorId,
        memberIds: memberIds.filter((v): v is number => v !== undefined),
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
      const userId = id(request.query.userId) ?? portal.uiUserId;
      return { userId, dialogs: userDialogs(portal, userId) };
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/chat/messages", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    const fromUserId = b.fromUserId === undefined ? portal.uiUserId : id(b.fromUserId);
    if (fromUserId === undefined) return bad(reply, 400, "fromUserId must be a user id");
    if (typeof b.dialogId !== "string" && typeof b.dialogId !== "number")
      return bad(reply, 400, "dialogId is required (a user id or chatN)");
    // im.message.add as that user, through the executor: the same rights, events and storage as the app's call.
    const posted = await executor.execute(portal, uiCaller(portal, fromUserId), "im.message.add", {
      DIALOG_ID: b.dialogId,
      MESSAGE: typeof b.message === "string" ? b.message : "",
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
      const viewerId = id(request.query.userId) ?? portal.uiUserId;
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
    const b = (request.body ?? {}) as Body;
    const botId = id(b.botId);
    if (botId === undefined) return bad(reply, 400, "botId is required");
    const userId = id(b.userId);
    const chatId =
      typeof b.chatId === "string" && /^chat\d+$/i.test(b.chatId) ? id(b.chatId.slice(4)) : id(b.chatId);
    if (userId === undefined && chatId === undefined) return bad(reply, 400, "userId or chatId is required");
    const byUserId = id(b.byUserId);
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
