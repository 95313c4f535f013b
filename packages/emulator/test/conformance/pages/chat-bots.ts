import { control } from "@b24kit/emulator/testing";
import type { Caller, MethodPage, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";

/*
 * The messenger and the legacy chat-bot methods. Bots are registered by OAuth apps
 * (one app per scope set, see context.ts) or by a webhook naming the app with CLIENT_ID.
 */

/** The app the examples' bots belong to, and a second app whose bots are not the first one's. */
const BOT_APP: Caller = { app: ["imbot"] };
const OTHER_APP: Caller = { app: ["imbot", "im"] };

/**
 * A handler URL nothing answers on (loopback, discard port): bot events the setup causes
 * (ONIMBOTJOINCHAT when a bot joins a chat) fail at once instead of leaving the machine.
 */
const NOWHERE = "http://127.0.0.1:9/bot";

/** 31 KB of text: over the 30 KB limit of ATTACH, KEYBOARD and MENU (imbot-message-add.md). */
const OVERSIZED = "x".repeat(31 * 1024);

const vars = (ctx: PageContext) => ctx.vars as Record<string, number | string>;

/** The CLIENT_ID webhook calls name their bots' app with. */
const HOOK_CLIENT = "my-bot-client";

/** Registers a bot for `as`: an app, or the admin's webhook with CLIENT_ID. */
async function registerBot(ctx: PageContext, code: string, as: Caller = BOT_APP): Promise<number> {
  const app = as === "admin" ? { CLIENT_ID: HOOK_CLIENT } : {};
  const reply = await ctx.call(
    "imbot.register",
    { CODE: code, EVENT_HANDLER: NOWHERE, PROPERTIES: { NAME: code }, ...app },
    as,
  );
  if (typeof reply.body.result !== "number") throw new Error(`imbot.register: ${JSON.stringify(reply.body)}`);
  return reply.body.result;
}

async function addUser(ctx: PageContext, name: string, lastName: string): Promise<number> {
  const added = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: name, LAST_NAME: lastName });
  return added.user.ID;
}

/** A group chat through the control API (README "Chat bots"); its DIALOG_ID `chatN`. */
async function groupChat(ctx: PageContext, userIds: number[], authorId?: number): Promise<string> {
  const made = await control(ctx.emu).request<{ dialogId: string }>(
    "POST",
    `portals/${ctx.portal.memberId}/chats`,
    { title: "Project", userIds, ...(authorId ? { authorId } : {}) },
  );
  return made.dialogId;
}

/** A person writes in the messenger through the control API; the message id. */
async function write(ctx: PageContext, fromUserId: number, dialogId: string, message: string) {
  const posted = await control(ctx.emu).request<{ messageId: number }>(
    "POST",
    `portals/${ctx.portal.memberId}/chat/messages`,
    { fromUserId, dialogId, message },
  );
  return posted.messageId;
}

/** im-dialog-messages-get.md, "Message Object"; `params` is `[]` when empty, as the example's second message shows. */
const DIALOG_MESSAGE: Shape = {
  id: "number",
  chat_id: "number",
  author_id: "number",
  date: "datetime",
  text: "string",
  unread: "boolean",
  uuid: "string|null",
  replaces: "array",
  params: "object|array",
  disappearing_date: "datetime|null",
};

/** im-dialog-messages-get.md, "User Object"; the example's `false` for the *_last_date and phones fields. */
const DIALOG_USER: Shape = {
  id: "number",
  active: "boolean",
  name: "string",
  first_name: "string",
  last_name: "string",
  work_position: "string",
  color: "string",
  avatar: "string",
  avatar_hr: "string",
  gender: "string",
  birthday: "string",
  extranet: "boolean",
  network: "boolean",
  bot: "boolean",
  connector: "boolean",
  external_auth_id: "string",
  status: "string",
  idle: "boolean",
  last_activity_date: "datetime",
  mobile_last_date: "datetime|boolean",
  desktop_last_date: "datetime|boolean",
  absent: "boolean",
  departments: ["number"],
  phones: "object|boolean",
  bot_data: "object|null",
  type: "string",
  website: "string",
  email: "string",
};

/** im-dialog-messages-get.md, "File Object" (`image` only for images). The emulator keeps no chat files. */
const DIALOG_FILE: Shape = {
  id: "number",
  chatId: "number",
  date: "datetime",
  type: "string",
  name: "string",
  extension: "string",
  size: "number",
  "image?": { height: "number", width: "number" },
  status: "string",
  progress: "number",
  authorId: "number",
  authorName: "string",
  urlPreview: "string",
  urlShow: "string",
  urlDownload: "string",
  viewerAttrs: {
    viewer: "string",
    viewerType: "string",
    src: "string",
    viewerResized: "string",
    objectId: "string",
    viewerGroupBy: "string",
    imChatId: "number",
    title: "string",
    actions: "string",
  },
  mediaUrl: { preview: "object" },
  isTranscribable: "boolean",
  isVideoNote: "boolean",
  isVoiceNote: "boolean",
};

const imDialogMessagesGet: MethodPage = {
  method: "im.dialog.messages.get",
  page: "api-reference/chats/messages/im-dialog-messages-get.md",
  scope: "im",
  parameters: [
    { name: "DIALOG_ID", required: true },
    { name: "LAST_ID" },
    { name: "FIRST_ID" },
    { name: "LIMIT" },
  ],
  setup: async (ctx) => {
    const v = vars(ctx);
    const anna = await addUser(ctx, "Anna", "Weber");
    const bot = await registerBot(ctx, "helper");
    v.chat = await groupChat(ctx, [anna, bot]);
    v.first = await write(ctx, 1, String(v.chat), "Welcome to the project chat");
    await write(ctx, anna, String(v.chat), "Hello, glad to be here");
    await ctx.call(
      "imbot.message.add",
      { BOT_ID: bot, DIALOG_ID: v.chat, MESSAGE: "I am the helper" },
      BOT_APP,
    );
    // A chat the admin is not in.
    const klaus = await addUser(ctx, "Klaus", "Weber");
    v.foreign = await groupChat(ctx, [klaus], anna);
  },
  calls: [
    {
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, FIRST_ID: vars(ctx).first, LIMIT: 10 }),
      result: {
        chat_id: "number",
        messages: [DIALOG_MESSAGE],
        users: [DIALOG_USER],
        files: [DIALOG_FILE],
      },
    },
  ],
  errors: [
    {
      when: "DIALOG_ID is in an incorrect format",
      status: 400,
      error: "DIALOG_ID_EMPTY",
      description: "Dialog ID can't be empty",
      params: { DIALOG_ID: "group-chat" },
    },
    {
      when: "FIRST_ID is not numeric",
      status: 400,
      error: "FIRST_ID_STRING",
      description: "First ID can't be string",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, FIRST_ID: "latest" }),
    },
    {
      when: "LAST_ID is not numeric",
      status: 400,
      error: "LAST_ID_STRING",
      description: "Last ID can't be string",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, LAST_ID: "oldest" }),
    },
    {
      when: "the user has no access to the dialog",
      status: 403,
      error: "ACCESS_ERROR",
      description: "You do not have access to the specified dialog",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).foreign }),
    },
  ],
};

/*
 * im-message-add.md's error table has no status column; its example error answers 400, so
 * every error is checked with 400. Not provoked: PARAMS_ERROR (the page does not say which
 * set of parameters is invalid).
 */
const imMessageAdd: MethodPage = {
  method: "im.message.add",
  page: "api-reference/chats/messages/im-message-add.md",
  scope: "im",
  parameters: [
    { name: "DIALOG_ID", required: true },
    // Required unless ATTACH is given.
    { name: "MESSAGE", required: true },
    { name: "ATTACH" },
    { name: "KEYBOARD" },
    { name: "MENU" },
    { name: "SYSTEM" },
    { name: "URL_PREVIEW" },
    { name: "REPLY_ID" },
  ],
  setup: async (ctx) => {
    const v = vars(ctx);
    const anna = await addUser(ctx, "Anna", "Weber");
    const klaus = await addUser(ctx, "Klaus", "Weber");
    v.chat = await groupChat(ctx, [anna]);
    v.replyTo = await write(ctx, anna, String(v.chat), "Shall we start?");
    v.otherChat = await groupChat(ctx, [klaus]);
    v.otherMessage = await write(ctx, klaus, String(v.otherChat), "Another topic");
    v.foreign = await groupChat(ctx, [klaus], anna);
    v.foreignMessage = await write(ctx, anna, String(v.foreign), "Just us");
  },
  calls: [
    {
      params: (ctx) => ({
        DIALOG_ID: vars(ctx).chat,
        MESSAGE: "Message text",
        SYSTEM: "N",
        URL_PREVIEW: "Y",
        REPLY_ID: vars(ctx).replyTo,
      }),
      result: "number",
    },
  ],
  errors: [
    {
      when: "MESSAGE is empty and there is no ATTACH",
      status: 400,
      error: "MESSAGE_EMPTY",
      description: "Message can't be empty",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "" }),
    },
    {
      when: "DIALOG_ID names no user",
      status: 400,
      error: "USER_ID_EMPTY",
      description: "User ID can't be empty",
      params: { DIALOG_ID: "someone", MESSAGE: "Hi" },
    },
    {
      when: "the user does not exist",
      status: 400,
      error: "USER_NOT_FOUND",
      description: "User not found",
      params: { DIALOG_ID: "99999", MESSAGE: "Hi" },
    },
    {
      when: "no chat has that id",
      status: 400,
      error: "CHAT_ID",
      description: "Error creating message",
      params: { DIALOG_ID: "chat99999", MESSAGE: "Hi" },
    },
    {
      when: "the user may not write to the chat",
      status: 400,
      error: "ACCESS_ERROR",
      description: "Action unavailable",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).foreign, MESSAGE: "Hi" }),
    },
    {
      when: "ATTACH is not a valid attachment",
      status: 400,
      error: "ATTACH_ERROR",
      description: "Incorrect attach params",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Card", ATTACH: "{not json" }),
    },
    {
      when: "ATTACH is over the size limit",
      status: 400,
      error: "ATTACH_OVERSIZE",
      description: "You have exceeded the maximum allowable size of attach",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Card", ATTACH: [{ MESSAGE: OVERSIZED }] }),
    },
    {
      when: "KEYBOARD is not a valid keyboard",
      status: 400,
      error: "KEYBOARD_ERROR",
      description: "Incorrect keyboard params",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Pick", KEYBOARD: "{not json" }),
    },
    {
      when: "MENU is not a valid menu",
      status: 400,
      error: "MENU_ERROR",
      description: "Incorrect menu params",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Menu", MENU: "{not json" }),
    },
    {
      when: "the user cannot see the message in REPLY_ID",
      status: 400,
      error: "REPLY_ACCESS_ERROR",
      description: "Action unavailable",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Re", REPLY_ID: vars(ctx).foreignMessage }),
    },
    {
      when: "the message in REPLY_ID is in another chat",
      status: 400,
      error: "REPLY_FROM_OTHER_CHAT_ERROR",
      description: "You can only reply to a message within the same chat",
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Re", REPLY_ID: vars(ctx).otherMessage }),
    },
  ],
};

/** Valid handlers for the three required events, for errors about the others. */
const REQUIRED_HANDLERS = {
  EVENT_MESSAGE_ADD: NOWHERE,
  EVENT_WELCOME_MESSAGE: NOWHERE,
  EVENT_BOT_DELETE: NOWHERE,
};

/*
 * imbot-register.md. Not provoked: WRONG_AUTH_TYPE (session authorization; the emulator's
 * REST callers are OAuth apps and webhooks only).
 */
const imbotRegister: MethodPage = {
  method: "imbot.register",
  page: "api-reference/chat-bots/outdated/bots/imbot-register.md",
  scope: "imbot",
  parameters: [
    { name: "CODE", required: true },
    { name: "TYPE" },
    { name: "OPENLINE" },
    { name: "EVENT_HANDLER" },
    // Marked required, but EVENT_HANDLER stands in for all of them (as the examples do): their
    // absence without EVENT_HANDLER is checked among the errors.
    { name: "EVENT_MESSAGE_ADD" },
    { name: "EVENT_MESSAGE_UPDATE" },
    { name: "EVENT_MESSAGE_DELETE" },
    { name: "EVENT_WELCOME_MESSAGE" },
    { name: "EVENT_BOT_DELETE" },
    { name: "CLIENT_ID" },
    { name: "PROPERTIES", required: true },
  ],
  setup: async (ctx) => {
    // Another app holds the code "taken"; a third one has its five bots.
    await registerBot(ctx, "taken", OTHER_APP);
    for (let i = 1; i <= 5; i++) await registerBot(ctx, `full${i}`, { app: ["imbot", "user"] });
  },
  calls: [
    {
      title: "OAuth",
      as: BOT_APP,
      params: {
        CODE: "newbot",
        TYPE: "B",
        EVENT_HANDLER: "https://example.com/bot/events",
        OPENLINE: "N",
        PROPERTIES: { NAME: "NewBot" },
      },
      result: "number",
    },
    {
      title: "webhook with CLIENT_ID",
      params: {
        CODE: "hookbot",
        TYPE: "B",
        EVENT_HANDLER: "https://example.com/bot/events",
        OPENLINE: "N",
        PROPERTIES: { NAME: "NewBot", WORK_POSITION: "Support bot" },
        CLIENT_ID: HOOK_CLIENT,
      },
      result: "number",
    },
  ],
  errors: [
    {
      when: "a webhook call names no CLIENT_ID",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied! Client ID not specified",
      params: { CODE: "nohook", EVENT_HANDLER: NOWHERE, PROPERTIES: { NAME: "X" } },
    },
    {
      when: "EVENT_MESSAGE_ADD is missing",
      status: 400,
      error: "EVENT_MESSAGE_ADD_ERROR",
      description: 'Handler for "Message add" event isn\'t specified',
      as: BOT_APP,
      params: {
        CODE: "x",
        EVENT_WELCOME_MESSAGE: NOWHERE,
        EVENT_BOT_DELETE: NOWHERE,
        PROPERTIES: { NAME: "X" },
      },
    },
    {
      when: "EVENT_MESSAGE_ADD is not a valid URL",
      status: 400,
      error: "EVENT_MESSAGE_ADD_ERROR",
      description: "Wrong handler URL",
      as: BOT_APP,
      params: { CODE: "x", ...REQUIRED_HANDLERS, EVENT_MESSAGE_ADD: "not a url", PROPERTIES: { NAME: "X" } },
    },
    {
      when: "EVENT_MESSAGE_UPDATE is not a valid URL",
      status: 400,
      error: "EVENT_MESSAGE_UPDATE_ERROR",
      description: "Wrong handler URL",
      as: BOT_APP,
      // An open-lines bot, for which the update handler counts.
      params: {
        CODE: "x",
        TYPE: "O",
        ...REQUIRED_HANDLERS,
        EVENT_MESSAGE_UPDATE: "not a url",
        PROPERTIES: { NAME: "X" },
      },
    },
    {
      when: "EVENT_MESSAGE_DELETE is not a valid URL",
      status: 400,
      error: "EVENT_MESSAGE_DELETE_ERROR",
      description: "Wrong handler URL",
      as: BOT_APP,
      params: {
        CODE: "x",
        TYPE: "O",
        ...REQUIRED_HANDLERS,
        EVENT_MESSAGE_DELETE: "not a url",
        PROPERTIES: { NAME: "X" },
      },
    },
    {
      when: "EVENT_WELCOME_MESSAGE is missing",
      status: 400,
      error: "EVENT_WELCOME_MESSAGE_ERROR",
      description: 'Handler for "Welcome message" event isn\'t specified',
      as: BOT_APP,
      params: { CODE: "x", EVENT_MESSAGE_ADD: NOWHERE, EVENT_BOT_DELETE: NOWHERE, PROPERTIES: { NAME: "X" } },
    },
    {
      when: "EVENT_WELCOME_MESSAGE is not a valid URL",
      status: 400,
      error: "EVENT_WELCOME_MESSAGE_ERROR",
      description: "Wrong handler URL",
      as: BOT_APP,
      params: {
        CODE: "x",
        ...REQUIRED_HANDLERS,
        EVENT_WELCOME_MESSAGE: "not a url",
        PROPERTIES: { NAME: "X" },
      },
    },
    {
      when: "EVENT_BOT_DELETE is missing",
      status: 400,
      error: "EVENT_BOT_DELETE_ERROR",
      description: 'Handler for "Bot delete" event isn\'t specified',
      as: BOT_APP,
      params: {
        CODE: "x",
        EVENT_MESSAGE_ADD: NOWHERE,
        EVENT_WELCOME_MESSAGE: NOWHERE,
        PROPERTIES: { NAME: "X" },
      },
    },
    {
      when: "EVENT_BOT_DELETE is not a valid URL",
      status: 400,
      error: "EVENT_BOT_DELETE_ERROR",
      description: "Wrong handler URL",
      as: BOT_APP,
      params: { CODE: "x", ...REQUIRED_HANDLERS, EVENT_BOT_DELETE: "not a url", PROPERTIES: { NAME: "X" } },
    },
    {
      when: "CODE is missing",
      status: 400,
      error: "CODE_ERROR",
      description: "Bot code isn't specified",
      as: BOT_APP,
      params: { EVENT_HANDLER: NOWHERE, PROPERTIES: { NAME: "X" } },
    },
    {
      when: "PROPERTIES has neither NAME nor LAST_NAME",
      status: 400,
      error: "NAME_ERROR",
      description: "Bot name isn't specified",
      as: BOT_APP,
      params: { CODE: "x", EVENT_HANDLER: NOWHERE, PROPERTIES: { WORK_POSITION: "Nameless" } },
    },
    {
      when: "the app has its maximum number of bots",
      status: 400,
      error: "MAX_COUNT_ERROR",
      description: "Has reached the maximum number of bots for application (max: 5)",
      as: { app: ["imbot", "user"] },
      params: { CODE: "full6", EVENT_HANDLER: NOWHERE, PROPERTIES: { NAME: "Six" } },
    },
    {
      // The page does not say when; the emulator refuses a CODE another app registered.
      when: "the bot cannot be created",
      status: 400,
      error: "WRONG_REQUEST",
      description: "Bot can't be created",
      as: BOT_APP,
      params: { CODE: "taken", EVENT_HANDLER: NOWHERE, PROPERTIES: { NAME: "Taken" } },
    },
  ],
};

/* imbot-unregister.md. Not provoked: WRONG_AUTH_TYPE (session authorization), WRONG_REQUEST (a failed deletion). */
const imbotUnregister: MethodPage = {
  method: "imbot.unregister",
  page: "api-reference/chat-bots/outdated/bots/imbot-unregister.md",
  scope: "imbot",
  parameters: [{ name: "BOT_ID", required: true }, { name: "CLIENT_ID" }],
  setup: async (ctx) => {
    const v = vars(ctx);
    v.bot = await registerBot(ctx, "leaving");
    v.hookBot = await registerBot(ctx, "hook-leaving", "admin");
    v.otherBot = await registerBot(ctx, "someone-elses", OTHER_APP);
  },
  calls: [
    { title: "OAuth", as: BOT_APP, params: (ctx) => ({ BOT_ID: vars(ctx).bot }), result: "boolean" },
    {
      title: "webhook with CLIENT_ID",
      params: (ctx) => ({ BOT_ID: vars(ctx).hookBot, CLIENT_ID: HOOK_CLIENT }),
      result: "boolean",
    },
  ],
  errors: [
    {
      when: "a webhook call names no CLIENT_ID",
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied! Client ID not specified",
      params: (ctx) => ({ BOT_ID: vars(ctx).otherBot }),
    },
    {
      when: "no bot has that id",
      status: 400,
      error: "BOT_ID_ERROR",
      description: "Bot not found",
      as: BOT_APP,
      params: { BOT_ID: 99999 },
    },
    {
      when: "the bot belongs to another app",
      status: 400,
      error: "APP_ID_ERROR",
      description: "Bot was installed by another REST application",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).otherBot }),
    },
  ],
};

/* imbot-message-add.md (its error answers are 400). */
const imbotMessageAdd: MethodPage = {
  method: "imbot.message.add",
  page: "api-reference/chat-bots/outdated/messages/imbot-message-add.md",
  scope: "imbot",
  parameters: [
    { name: "BOT_ID" },
    // Required unless FROM_USER_ID and TO_USER_ID are given.
    { name: "DIALOG_ID" },
    { name: "FROM_USER_ID" },
    { name: "TO_USER_ID" },
    { name: "MESSAGE", required: true },
    { name: "ATTACH" },
    { name: "KEYBOARD" },
    { name: "MENU" },
    { name: "SYSTEM" },
    { name: "URL_PREVIEW" },
    { name: "SKIP_CONNECTOR" },
    { name: "CLIENT_ID" },
  ],
  setup: async (ctx) => {
    const v = vars(ctx);
    v.bot = await registerBot(ctx, "support");
    v.hookBot = await registerBot(ctx, "hook-support", "admin");
    v.otherBot = await registerBot(ctx, "someone-elses", OTHER_APP);
    v.chat = await groupChat(ctx, [Number(v.bot), Number(v.hookBot)]);
    // A chat without the bots.
    v.botless = await groupChat(ctx, [await addUser(ctx, "Anna", "Weber")]);
  },
  calls: [
    {
      title: "OAuth",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).bot, DIALOG_ID: vars(ctx).chat, MESSAGE: "Message text" }),
      result: "number",
    },
    {
      title: "webhook with CLIENT_ID",
      params: (ctx) => ({
        BOT_ID: vars(ctx).hookBot,
        DIALOG_ID: vars(ctx).chat,
        MESSAGE: "Message text",
        SYSTEM: "N",
        URL_PREVIEW: "Y",
        CLIENT_ID: HOOK_CLIENT,
      }),
      result: "number",
    },
  ],
  errors: [
    {
      when: "no bot has that id",
      status: 400,
      error: "BOT_ID_ERROR",
      description: "Bot not found",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: 99999, DIALOG_ID: vars(ctx).chat, MESSAGE: "Hi" }),
    },
    {
      when: "BOT_ID is left out and the app has no bot",
      status: 400,
      error: "BOT_ID_ERROR",
      description: "Bot not found",
      as: { app: ["imbot", "user"] },
      params: (ctx) => ({ DIALOG_ID: vars(ctx).chat, MESSAGE: "Hi" }),
    },
    {
      when: "the bot belongs to another app",
      status: 400,
      error: "APP_ID_ERROR",
      description: "Bot was installed by another REST application",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).otherBot, DIALOG_ID: vars(ctx).chat, MESSAGE: "Hi" }),
    },
    {
      when: "there is no DIALOG_ID nor FROM_USER_ID and TO_USER_ID",
      status: 400,
      error: "DIALOG_ID_EMPTY",
      description: "Dialog ID can't be empty",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).bot, MESSAGE: "Hi" }),
    },
    {
      when: "MESSAGE is blank",
      status: 400,
      error: "MESSAGE_EMPTY",
      description: "Message can't be empty",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).bot, DIALOG_ID: vars(ctx).chat, MESSAGE: " \n " }),
    },
    ...(["ATTACH", "KEYBOARD", "MENU"] as const).flatMap((key) => [
      {
        when: `${key} has an invalid structure`,
        status: 400,
        error: `${key}_ERROR`,
        description: `Incorrect ${key.toLowerCase()} params`,
        as: BOT_APP,
        params: (ctx: PageContext) => ({
          BOT_ID: vars(ctx).bot,
          DIALOG_ID: vars(ctx).chat,
          MESSAGE: "Hi",
          [key]: "{not json",
        }),
      },
      {
        when: `${key} is over 30 KB`,
        status: 400,
        error: `${key}_OVERSIZE`,
        description: `You have exceeded the maximum allowable size of ${key.toLowerCase()}`,
        as: BOT_APP,
        params: (ctx: PageContext) => ({
          BOT_ID: vars(ctx).bot,
          DIALOG_ID: vars(ctx).chat,
          MESSAGE: "Hi",
          [key]: [{ TEXT: OVERSIZED }],
        }),
      },
    ]),
    {
      // The page says "internal error"; the emulator's is a chat the bot is not in.
      when: "the message cannot be added",
      status: 400,
      error: "WRONG_REQUEST",
      description: "Message isn't added",
      as: BOT_APP,
      params: (ctx) => ({ BOT_ID: vars(ctx).bot, DIALOG_ID: vars(ctx).botless, MESSAGE: "Hi" }),
    },
  ],
};

export const chatBotPages: MethodPage[] = [
  imDialogMessagesGet,
  imMessageAdd,
  imbotRegister,
  imbotUnregister,
  imbotMessageAdd,
];
