import { control } from "@b24kit/emulator/testing";
import type { Caller, DocumentedError, MethodPage, PageContext } from "../page-fixture.js";
import { type Shape, shapeMismatches } from "../shape.js";

/*
 * Chatbots 2.0 (api-reference/chat-bots/chat-bots-v2/). Bots are registered by an OAuth app
 * (no botToken) or through the admin's webhook with a botToken (index.md "Authorization").
 * Not provoked anywhere: the avatar errors (no image checks), *_FAILED codes of internal
 * failures, BOT_LIMIT_EXCEEDED (100 bots), AUTH_ERROR of Event.get.
 */

export const BOT_APP: Caller = { app: ["imbot"] };
const OTHER_APP: Caller = { app: ["imbot", "user"] };
/** An app with `im` as well, for Event.get's withUserEvents. */
export const IM_APP: Caller = { app: ["imbot", "im"] };
export const TOKEN = "my_bot_token";

export const vars = (ctx: PageContext) => ctx.vars as Record<string, number | string>;

export async function register(
  ctx: PageContext,
  code: string,
  as: Caller,
  extra: Record<string, unknown> = {},
) {
  const token = as === "admin" ? { botToken: TOKEN } : {};
  const reply = await ctx.call(
    "imbot.v2.Bot.register",
    { fields: { code, properties: { name: code }, ...token, ...extra } },
    as,
  );
  if (!reply.body.result?.bot) throw new Error(`imbot.v2.Bot.register: ${JSON.stringify(reply.body)}`);
  return reply.body.result.bot.id as number;
}

/** `bot` (the example's, fetch mode), `otherBot` of another app, `anna` who wrote to `bot`. */
export async function bots(ctx: PageContext): Promise<void> {
  const v = vars(ctx);
  v.bot = await register(ctx, "support_bot", BOT_APP);
  v.otherBot = await register(ctx, "foreign_bot", OTHER_APP);
  const added = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: "Anna", LAST_NAME: "Weber" });
  v.anna = added.user.ID;
  const written = await control(ctx.emu).request<{ messageId: number }>(
    "POST",
    `portals/${ctx.portal.memberId}/chat/messages`,
    { fromUserId: v.anna, dialogId: v.bot, message: "Hello bot!" },
  );
  v.annaMessage = written.messageId;
}

/** A group chat through the control API (README "Chat bots"); its dialog id `chatN`. */
export async function groupChat(ctx: PageContext, userIds: number[]): Promise<string> {
  const made = await control(ctx.emu).request<{ dialogId: string }>(
    "POST",
    `portals/${ctx.portal.memberId}/chats`,
    { title: "Support Chat", userIds },
  );
  return made.dialogId;
}

/**
 * The errors every imbot.v2 method lists (change-log.md, BOT-NEW-0408-1), provoked on
 * `params` (which name the bot as `botId`).
 */
export function botErrors(params: (ctx: PageContext) => Record<string, unknown>): DocumentedError[] {
  const without = (ctx: PageContext) => {
    const { botId: _drop, ...rest } = params(ctx);
    return rest;
  };
  return [
    {
      when: "botToken is missing with webhook authorization",
      status: 400,
      error: "BOT_TOKEN_NOT_SPECIFIED",
      description: "Bot token is not specified",
      params,
    },
    {
      when: "botId is missing",
      status: 400,
      error: "BOT_ID_REQUIRED",
      description: "Bot ID is required",
      as: BOT_APP,
      params: without,
    },
    {
      when: "no bot has that id",
      status: 400,
      error: "BOT_NOT_FOUND",
      description: "Bot not found",
      as: BOT_APP,
      params: (ctx) => ({ ...params(ctx), botId: 99999 }),
    },
    {
      when: "the bot belongs to another application",
      status: 403,
      error: "BOT_OWNERSHIP_ERROR",
      description: "Bot is registered by another application",
      as: BOT_APP,
      params: (ctx) => ({ ...params(ctx), botId: vars(ctx).otherBot }),
    },
  ];
}

/** entities.md "Bot", extended format (the pages' examples). */
export const BOT: Shape = {
  id: "number",
  code: "string",
  type: "string",
  isHidden: "boolean",
  isSupportOpenline: "boolean",
  isReactionsEnabled: "boolean",
  backgroundId: "string|null",
  language: "string",
  moduleId: "string",
  eventMode: "string",
  countMessage: "number",
  countCommand: "number",
  countChat: "number",
  countUser: "number",
};

/** bot-register.md's User example; entities.md adds the last-date fields, website and email. */
export const USER: Shape = {
  id: "number",
  active: "boolean",
  name: "string",
  firstName: "string",
  lastName: "string",
  workPosition: "string",
  color: "string",
  avatar: "string",
  gender: "string",
  birthday: "string",
  extranet: "boolean",
  bot: "boolean",
  connector: "boolean",
  externalAuthId: "string",
  status: "string",
  idle: "datetime|boolean",
  lastActivityDate: "datetime|boolean",
  "mobileLastDate?": "datetime|boolean",
  "desktopLastDate?": "datetime|boolean",
  absent: "datetime|boolean",
  departments: ["number"],
  phones: "object|boolean",
  type: "string",
  "website?": "string",
  "email?": "string",
};

/** The short User of the update/get/list examples ("complete descriptions" on entities.md). */
const USER_BRIEF: Shape = {
  id: "number",
  active: "boolean",
  name: "string",
  bot: "boolean",
  type: "string",
  "...": "any",
};

/** chat-get.md's Chat example. */
const CHAT: Shape = {
  id: "number",
  dialogId: "string",
  name: "string",
  description: "string",
  type: "string",
  messageType: "string",
  owner: "number",
  color: "string|null",
  avatar: "string",
  extranet: "boolean",
  containsCollaber: "boolean",
  entityType: "string",
  entityId: "string",
  entityData1: "string",
  entityData2: "string",
  entityData3: "string",
  entityLink: "object",
  diskFolderId: "number|null",
  role: "string",
  permissions: "object",
  muteList: "array",
  parentChatId: "number|null",
  parentMessageId: "number|null",
  isNew: "boolean",
  textFieldEnabled: "Y/N",
  backgroundId: "string|null",
  dateCreate: "datetime|null",
  lastMessageId: "number|null",
  lastMessageViews: "string",
  lastId: "number|null",
  managerList: ["number"],
  markedId: "number|null",
  messageCount: "number",
  public: "object|string",
  unreadId: "number|null",
  userCounter: "number",
};

/** events.md's ONIMBOTV2MESSAGEADD data (fetch mode); its chat shows a few of the Chat fields. */
const MESSAGE_ADD_DATA: Shape = {
  bot: BOT,
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
  chat: {
    id: "number",
    dialogId: "string",
    type: "string",
    name: "string",
    entityType: "string",
    owner: "number",
    avatar: "string",
    color: "string|null",
    "...": "any",
  },
  user: USER,
  language: "string",
};

export const RESULT_TRUE: Shape = { result: "boolean" };

const botRegister: MethodPage = {
  method: "imbot.v2.Bot.register",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/bot-register.md",
  scope: "imbot",
  parameters: [{ name: "fields", required: true }],
  setup: async (ctx) => {
    await register(ctx, "taken_bot", OTHER_APP);
  },
  calls: [
    {
      title: "OAuth",
      as: BOT_APP,
      params: {
        fields: {
          code: "support_bot",
          properties: { name: "Support Bot", workPosition: "AI Assistant" },
          type: "bot",
          eventMode: "fetch",
        },
      },
      result: { bot: BOT, users: [USER] },
      check: (result) => {
        if (result.bot.eventMode !== "fetch" || result.users[0].id !== result.bot.id)
          throw new Error(JSON.stringify(result));
      },
    },
    {
      title: "webhook with botToken",
      params: {
        fields: {
          code: "hook_bot",
          botToken: TOKEN,
          properties: { name: "Support Bot", workPosition: "AI Assistant" },
          type: "bot",
          eventMode: "fetch",
        },
      },
      result: { bot: BOT, users: [USER] },
    },
  ],
  errors: [
    {
      when: "fields.botToken is missing with webhook authorization",
      status: 400,
      error: "BOT_TOKEN_NOT_SPECIFIED",
      description: "Bot token is not specified",
      params: { fields: { code: "x", properties: { name: "X" } } },
    },
    {
      when: "fields.code is missing",
      status: 400,
      error: "BOT_CODE_REQUIRED",
      description: "Bot code is required",
      as: BOT_APP,
      params: { fields: { properties: { name: "X" } } },
    },
    {
      when: "the bot's name is missing",
      status: 400,
      error: "BOT_PROPERTIES_REQUIRED",
      description: "Bot properties are required",
      as: BOT_APP,
      params: { fields: { code: "x", properties: { workPosition: "AI" } } },
    },
    {
      when: "another application has the code",
      status: 400,
      error: "BOT_CODE_ALREADY_TAKEN",
      description: "Bot code is already taken",
      as: BOT_APP,
      params: { fields: { code: "taken_bot", properties: { name: "X" } } },
    },
    {
      when: "the type is not one of bot, network, openline, supervisor, personal",
      status: 400,
      error: "BOT_INVALID_TYPE",
      description: "Invalid bot type",
      as: BOT_APP,
      params: { fields: { code: "x", properties: { name: "X" }, type: "robot" } },
    },
    {
      when: "the event mode is neither fetch nor webhook",
      status: 400,
      error: "BOT_INVALID_EVENT_MODE",
      description: "Invalid event mode",
      as: BOT_APP,
      params: { fields: { code: "x", properties: { name: "X" }, eventMode: "push" } },
    },
    {
      when: "webhook mode has no webhookUrl",
      status: 400,
      error: "BOT_WEBHOOK_URL_REQUIRED",
      description: "Webhook URL is required",
      as: BOT_APP,
      params: { fields: { code: "x", properties: { name: "X" }, eventMode: "webhook" } },
    },
    {
      when: "the handler URL is invalid",
      status: 400,
      error: "BOT_INVALID_CALLBACK",
      description: "Invalid callback URL",
      as: BOT_APP,
      params: {
        fields: { code: "x", properties: { name: "X" }, eventMode: "webhook", webhookUrl: "nowhere" },
      },
    },
  ],
};

const botUpdate: MethodPage = {
  method: "imbot.v2.Bot.update",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/bot-update.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    {
      name: "fields",
      required: true,
      acceptedWithout:
        "the page lists no error for it; the emulator takes a missing fields as an update that changes nothing",
    },
  ],
  setup: async (ctx) => {
    await bots(ctx);
    vars(ctx).hookBot = await register(ctx, "hook_bot", "admin");
    await ctx.call("imbot.v2.Bot.register", {
      fields: { code: "second_hook_bot", botToken: "taken_token", properties: { name: "Second" } },
    });
  },
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        fields: { properties: { name: "Updated Bot" }, isHidden: true },
      }),
      result: { bot: BOT, users: [USER_BRIEF] },
      check: (result) => {
        if (result.bot.isHidden !== true || result.users[0].name !== "Updated Bot")
          throw new Error(JSON.stringify(result));
      },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, fields: { isHidden: false } })),
    {
      when: "the event mode is invalid",
      status: 400,
      error: "BOT_INVALID_EVENT_MODE",
      description: "Invalid event mode",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, fields: { eventMode: "push" } }),
    },
    {
      when: "the handler URL is invalid",
      status: 400,
      error: "BOT_INVALID_CALLBACK",
      description: "Invalid callback URL",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, fields: { eventMode: "webhook", webhookUrl: "nowhere" } }),
    },
    {
      when: "the new botToken is linked to another bot",
      status: 400,
      error: "BOT_TOKEN_ROTATION_FAILED",
      description: "Bot token rotation failed",
      params: (ctx) => ({ botId: vars(ctx).hookBot, botToken: TOKEN, fields: { botToken: "taken_token" } }),
    },
  ],
};

const botUnregister: MethodPage = {
  method: "imbot.v2.Bot.unregister",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/bot-unregister.md",
  scope: "imbot",
  parameters: [{ name: "botId", required: true }, { name: "botToken" }],
  setup: bots,
  calls: [{ as: BOT_APP, params: (ctx) => ({ botId: vars(ctx).bot }), result: RESULT_TRUE }],
  errors: botErrors((ctx) => ({ botId: vars(ctx).bot })),
};

const botList: MethodPage = {
  method: "imbot.v2.Bot.list",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/bot-list.md",
  scope: "imbot",
  parameters: [{ name: "botToken" }, { name: "filter" }, { name: "limit" }, { name: "offset" }],
  setup: bots,
  calls: [
    {
      as: BOT_APP,
      params: { filter: { type: "bot" }, limit: 50, offset: 0 },
      result: { bots: [BOT], users: [USER_BRIEF], hasNextPage: "boolean" },
      check: (result) => {
        if (result.bots.length !== 1 || result.bots[0].code !== "support_bot")
          throw new Error(JSON.stringify(result));
      },
    },
  ],
  errors: [
    {
      when: "botToken is missing with webhook authorization",
      status: 400,
      error: "BOT_TOKEN_NOT_SPECIFIED",
      description: "Bot token is not specified",
      params: {},
    },
  ],
};

const botGet: MethodPage = {
  method: "imbot.v2.Bot.get",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/bots/bot-get.md",
  scope: "imbot",
  parameters: [{ name: "botId" }, { name: "code" }, { name: "botToken" }],
  setup: bots,
  calls: [
    {
      title: "by id",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot }),
      result: { bot: BOT, users: [USER_BRIEF] },
    },
    {
      title: "another app's bot, brief format",
      as: BOT_APP,
      params: { code: "foreign_bot" },
      result: {
        bot: {
          id: "number",
          code: "string",
          type: "string",
          isHidden: "boolean",
          isSupportOpenline: "boolean",
          isReactionsEnabled: "boolean",
          backgroundId: "string|null",
          language: "string",
        },
        users: [USER_BRIEF],
      },
    },
  ],
  errors: [
    {
      when: "botToken is missing with webhook authorization",
      status: 400,
      error: "BOT_TOKEN_NOT_SPECIFIED",
      description: "Bot token is not specified",
      params: (ctx) => ({ botId: vars(ctx).bot }),
    },
    {
      when: "neither botId nor code is given",
      status: 400,
      error: "PARAMS_REQUIRED",
      description: "Required parameters are missing",
      as: BOT_APP,
      params: {},
    },
    {
      when: "no bot has that id",
      status: 400,
      error: "BOT_NOT_FOUND",
      description: "Bot not found",
      as: BOT_APP,
      params: { botId: 99999 },
    },
  ],
};

const messageSend: MethodPage = {
  method: "imbot.v2.Chat.Message.send",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/messages/chat-message-send.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "dialogId", required: true },
    { name: "fields" },
  ],
  setup: async (ctx) => {
    await bots(ctx);
    const v = vars(ctx);
    v.hookBot = await register(ctx, "hook_bot", "admin");
    v.chat = await groupChat(ctx, [Number(v.anna), Number(v.bot), Number(v.hookBot)]);
    v.foreign = await groupChat(ctx, [Number(v.anna)]);
  },
  calls: [
    {
      title: "OAuth",
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        dialogId: vars(ctx).chat,
        fields: { message: "Hello! How can I help you?", system: false, urlPreview: true },
      }),
      result: { id: "number", uuidMap: "object" },
    },
    {
      title: "webhook with botToken",
      params: (ctx) => ({
        botId: vars(ctx).hookBot,
        botToken: TOKEN,
        dialogId: vars(ctx).chat,
        fields: { message: "Hello! How can I help you?" },
      }),
      result: { id: "number", uuidMap: "object" },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).chat, fields: { message: "Hi" } })),
    {
      when: "the bot is not a participant in the chat",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).foreign, fields: { message: "Hi" } }),
    },
    {
      when: "there is neither text nor attachments",
      status: 400,
      error: "EMPTY_MESSAGE",
      description: "Message is empty",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).chat, fields: { message: "" } }),
    },
  ],
};

/** Setup of update/delete: the bot's own message to Anna (`own`) besides hers (`annaMessage`). */
async function botMessage(ctx: PageContext): Promise<void> {
  await bots(ctx);
  const v = vars(ctx);
  const sent = await ctx.call(
    "imbot.v2.Chat.Message.send",
    { botId: v.bot, dialogId: String(v.anna), fields: { message: "Hello! How can I help you?" } },
    BOT_APP,
  );
  v.own = sent.body.result.id;
}

const messageUpdate: MethodPage = {
  method: "imbot.v2.Chat.Message.update",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/messages/chat-message-update.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "messageId", required: true },
    {
      name: "fields",
      required: true,
      acceptedWithout:
        "the page lists no error for it; the emulator takes a missing fields as an update that changes nothing",
    },
  ],
  setup: botMessage,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        messageId: vars(ctx).own,
        fields: { message: "Updated text" },
      }),
      result: RESULT_TRUE,
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, messageId: vars(ctx).own, fields: { message: "Again" } })),
    {
      when: "the message is not the bot's",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied",
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        messageId: vars(ctx).annaMessage,
        fields: { message: "No" },
      }),
    },
  ],
};

const messageDelete: MethodPage = {
  method: "imbot.v2.Chat.Message.delete",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/messages/chat-message-delete.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "messageId", required: true },
    { name: "complete" },
  ],
  setup: botMessage,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, messageId: vars(ctx).own, complete: false }),
      result: RESULT_TRUE,
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, messageId: vars(ctx).annaMessage })),
    {
      when: "the message is not the bot's and the bot administers no chat",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, messageId: vars(ctx).annaMessage }),
    },
  ],
};

const chatGet: MethodPage = {
  method: "imbot.v2.Chat.get",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/chats/chat-get.md",
  scope: "imbot",
  parameters: [{ name: "botId", required: true }, { name: "botToken" }, { name: "dialogId", required: true }],
  setup: async (ctx) => {
    await bots(ctx);
    const v = vars(ctx);
    v.chat = await groupChat(ctx, [Number(v.anna), Number(v.bot)]);
    v.foreign = await groupChat(ctx, [Number(v.anna)]);
  },
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).chat }),
      result: { chat: CHAT },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).chat })),
    {
      when: "the bot is not a participant in the chat",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).foreign }),
    },
  ],
};

const chatAdd: MethodPage = {
  method: "imbot.v2.Chat.add",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/chats/chat-add.md",
  scope: "imbot",
  parameters: [{ name: "botId", required: true }, { name: "botToken" }, { name: "fields" }],
  setup: bots,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        fields: { title: "Support Chat", color: "mint", userIds: [1, vars(ctx).anna], message: "Welcome" },
      }),
      result: { chat: CHAT, users: [USER] },
      check: (result) => {
        if (result.chat.isNew !== true || result.chat.color !== "#4ba984" || result.chat.messageCount !== 1)
          throw new Error(JSON.stringify(result.chat));
      },
    },
  ],
  errors: botErrors((ctx) => ({ botId: vars(ctx).bot, fields: { title: "Another" } })),
};

const inputActionNotify: MethodPage = {
  method: "imbot.v2.Chat.InputAction.notify",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/ui/chat-input-action-notify.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "dialogId", required: true },
    { name: "statusMessageCode" },
    { name: "duration" },
  ],
  setup: async (ctx) => {
    await bots(ctx);
    vars(ctx).foreign = await groupChat(ctx, [Number(vars(ctx).anna)]);
  },
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        dialogId: String(vars(ctx).anna),
        statusMessageCode: "IMBOT_AGENT_ACTION_THINKING",
        duration: 30,
      }),
      result: RESULT_TRUE,
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, dialogId: String(vars(ctx).anna) })),
    {
      when: "the bot is not a participant in the chat",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, dialogId: vars(ctx).foreign }),
    },
  ],
};

const eventGet: MethodPage = {
  method: "imbot.v2.Event.get",
  page: "api-reference/chat-bots/chat-bots-v2/imbot.v2/events/event-get.md",
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "offset" },
    { name: "limit" },
    { name: "withUserEvents" },
  ],
  setup: async (ctx) => {
    await bots(ctx);
    vars(ctx).imBot = await register(ctx, "im_bot", IM_APP);
  },
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, limit: 50 }),
      result: {
        events: [{ eventId: "number", type: "string", date: "datetime", data: "object" }],
        nextOffset: "number",
        hasMore: "boolean",
      },
      // Anna's first message: ONIMBOTV2JOINCHAT, then ONIMBOTV2MESSAGEADD in events.md's format.
      check: (result) => {
        const types = result.events.map((e: { type: string }) => e.type);
        if (types.join() !== "ONIMBOTV2JOINCHAT,ONIMBOTV2MESSAGEADD") throw new Error(types.join());
        const problems = shapeMismatches(result.events[1].data, MESSAGE_ADD_DATA, "data");
        if (problems.length > 0) throw new Error(problems.join("\n"));
      },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot })),
    {
      when: "withUserEvents without the im scope",
      status: 403,
      error: "SCOPE_ERROR",
      description: "Scope error",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, withUserEvents: true }),
    },
    {
      when: "withUserEvents for a user not subscribed with im.v2.Event.subscribe",
      status: 400,
      error: "USER_NOT_SUBSCRIBED",
      description: "User not subscribed",
      as: IM_APP,
      params: (ctx) => ({ botId: vars(ctx).imBot, withUserEvents: true }),
    },
  ],
};

export const chatBotV2Pages: MethodPage[] = [
  botRegister,
  botUpdate,
  botUnregister,
  botList,
  botGet,
  messageSend,
  messageUpdate,
  messageDelete,
  chatGet,
  chatAdd,
  inputActionNotify,
  eventGet,
];
