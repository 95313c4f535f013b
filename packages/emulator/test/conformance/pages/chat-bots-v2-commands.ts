import { control } from "@b24kit/emulator/testing";
import type { MethodPage, PageContext } from "../page-fixture.js";
import { type Shape, shapeMismatches } from "../shape.js";
import { BOT, BOT_APP, botErrors, bots, RESULT_TRUE, USER, vars } from "./chat-bots-v2.js";

/*
 * Slash commands of Chatbots 2.0 (api-reference/chat-bots/chat-bots-v2/imbot.v2/commands/).
 * `bot` (support_bot, chat-bots-v2.ts) has `/help` (`cmd`), which Anna calls in her dialog
 * with it (`cmdMessage`). Not provoked: COMMAND_REGISTER_FAILED (an internal failure).
 */

const PAGES = "api-reference/chat-bots/chat-bots-v2/imbot.v2/commands";

/** The Command object of register/update. */
const COMMAND: Shape = {
  id: "number",
  botId: "number",
  command: "string",
  common: "boolean",
  hidden: "boolean",
  extranetSupport: "boolean",
};

/** command-list.md's Command object. */
const LISTED_COMMAND: Shape = {
  ...COMMAND,
  title: "string",
  params: "string",
  category: "string",
  context: "string",
};

/** events.md's ONIMBOTV2COMMANDADD data (fetch mode). */
const COMMAND_ADD_DATA: Shape = {
  bot: BOT,
  command: { id: "number", command: "string", params: "string", context: "string" },
  message: "object",
  chat: { id: "number", dialogId: "string", type: "string", name: "string", "...": "any" },
  user: USER,
  language: "string",
};

/** `bots`, then `/help` registered for `bot`, and Anna's `/help topic` to it. */
async function withCommand(ctx: PageContext): Promise<void> {
  await bots(ctx);
  const v = vars(ctx);
  const reply = await ctx.call(
    "imbot.v2.Command.register",
    { botId: v.bot, fields: { command: "help", title: { en: "Show Help" }, params: { en: "request text" } } },
    BOT_APP,
  );
  v.cmd = reply.body.result.command.id;
  await ctx.call(
    "imbot.v2.Command.register",
    { botId: v.bot, fields: { command: "about", title: { en: "About" } } },
    BOT_APP,
  );
  const written = await control(ctx.emu).request<{ messageId: number }>(
    "POST",
    `portals/${ctx.portal.memberId}/chat/messages`,
    { fromUserId: v.anna, dialogId: v.bot, message: "/help topic" },
  );
  v.cmdMessage = written.messageId;
}

const commandNotFound = (params: (ctx: PageContext) => Record<string, unknown>) => ({
  when: "the bot has no command of that id",
  status: 400,
  error: "COMMAND_NOT_FOUND",
  description: "Command not found",
  as: BOT_APP,
  params,
});

const commandRegister: MethodPage = {
  method: "imbot.v2.Command.register",
  page: `${PAGES}/command-register.md`,
  scope: "imbot",
  parameters: [{ name: "botId", required: true }, { name: "botToken" }, { name: "fields", required: true }],
  setup: bots,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        fields: {
          command: "help",
          title: { en: "Show Help" },
          params: { en: "request text" },
          common: false,
        },
      }),
      result: { command: COMMAND },
      check: (result) => {
        if (result.command.command !== "/help") throw new Error(JSON.stringify(result));
      },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, fields: { command: "x", title: { en: "X" } } })),
    {
      when: "fields.command is missing",
      status: 400,
      error: "COMMAND_REQUIRED",
      description: "Command is required",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, fields: { title: { en: "X" } } }),
    },
    {
      when: "fields.command is not a string",
      status: 400,
      error: "COMMAND_NAME_INVALID",
      description: "Command name is invalid",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, fields: { command: ["x"], title: { en: "X" } } }),
    },
    {
      when: "a visible command has no title",
      status: 400,
      error: "COMMAND_TITLE_REQUIRED",
      description: "Command title is required",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, fields: { command: "x", hidden: false } }),
    },
  ],
};

const commandUpdate: MethodPage = {
  method: "imbot.v2.Command.update",
  page: `${PAGES}/command-update.md`,
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "commandId", required: true },
    {
      name: "fields",
      required: true,
      acceptedWithout:
        "the page lists no error for it; the emulator takes a missing fields as an update that changes nothing",
    },
  ],
  setup: withCommand,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        commandId: vars(ctx).cmd,
        fields: { title: { en: "Updated help", de: "Aktualisierte Hilfe" } },
      }),
      result: { command: COMMAND },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd, fields: {} })),
    commandNotFound((ctx) => ({ botId: vars(ctx).bot, commandId: 99999, fields: {} })),
    {
      when: "the new name is empty",
      status: 400,
      error: "COMMAND_NAME_EMPTY",
      description: "Command name is empty",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd, fields: { command: "" } }),
    },
    {
      when: "the new name is not a string",
      status: 400,
      error: "COMMAND_NAME_INVALID",
      description: "Command name is invalid",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd, fields: { command: 42 } }),
    },
    {
      when: "the bot has a command of that name",
      status: 400,
      error: "COMMAND_ALREADY_EXISTS",
      description: "Command already exists",
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd, fields: { command: "about" } }),
    },
  ],
};

const commandUnregister: MethodPage = {
  method: "imbot.v2.Command.unregister",
  page: `${PAGES}/command-unregister.md`,
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "commandId", required: true },
  ],
  setup: withCommand,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd }),
      result: RESULT_TRUE,
    },
  ],
  errors: [
    ...botErrors((ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd })),
    commandNotFound((ctx) => ({ botId: vars(ctx).bot, commandId: vars(ctx).cmd })),
  ],
};

const commandList: MethodPage = {
  method: "imbot.v2.Command.list",
  page: `${PAGES}/command-list.md`,
  scope: "imbot",
  parameters: [{ name: "botId", required: true }, { name: "botToken" }],
  setup: withCommand,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({ botId: vars(ctx).bot }),
      result: { commands: [LISTED_COMMAND] },
      check: (result) => {
        const [help] = result.commands;
        if (help.command !== "/help" || help.title !== "Show Help" || help.params !== "request text")
          throw new Error(JSON.stringify(help));
      },
    },
  ],
  errors: botErrors((ctx) => ({ botId: vars(ctx).bot })),
};

const commandAnswer: MethodPage = {
  method: "imbot.v2.Command.answer",
  page: `${PAGES}/command-answer.md`,
  scope: "imbot",
  parameters: [
    { name: "botId", required: true },
    { name: "botToken" },
    { name: "commandId", required: true },
    { name: "messageId", required: true },
    { name: "dialogId", required: true },
    { name: "fields" },
  ],
  setup: withCommand,
  calls: [
    {
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        commandId: vars(ctx).cmd,
        messageId: vars(ctx).cmdMessage,
        dialogId: String(vars(ctx).anna),
        fields: { message: "Here is the help text..." },
      }),
      result: RESULT_TRUE,
      // The call it answers came as ONIMBOTV2COMMANDADD in events.md's format.
      check: async (_result, ctx) => {
        const got = await ctx.call("imbot.v2.Event.get", { botId: vars(ctx).bot }, BOT_APP);
        const event = got.body.result.events.find((e: { type: string }) => e.type === "ONIMBOTV2COMMANDADD");
        if (!event) throw new Error(JSON.stringify(got.body));
        const problems = shapeMismatches(event.data, COMMAND_ADD_DATA, "data");
        if (problems.length > 0) throw new Error(problems.join("\n"));
        if (event.data.command.params !== "topic" || event.data.command.context !== "textarea")
          throw new Error(JSON.stringify(event.data.command));
      },
    },
  ],
  errors: [
    ...botErrors((ctx) => ({
      botId: vars(ctx).bot,
      commandId: vars(ctx).cmd,
      messageId: vars(ctx).cmdMessage,
      dialogId: String(vars(ctx).anna),
      fields: { message: "Hi" },
    })),
    {
      when: "the message is no call of that command",
      status: 400,
      error: "COMMAND_ANSWER_FAILED",
      description: "Command answer failed",
      as: BOT_APP,
      params: (ctx) => ({
        botId: vars(ctx).bot,
        commandId: vars(ctx).cmd,
        messageId: vars(ctx).annaMessage,
        dialogId: String(vars(ctx).anna),
        fields: { message: "Hi" },
      }),
    },
  ],
};

export const chatBotV2CommandPages: MethodPage[] = [
  commandRegister,
  commandUpdate,
  commandUnregister,
  commandList,
  commandAnswer,
];
