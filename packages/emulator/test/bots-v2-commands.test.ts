import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  type InstalledApp,
  installApp,
  testEmulator,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type RestReply } from "./helpers.js";

// Slash commands of Chatbots 2.0 over HTTP (api-reference/chat-bots/chat-bots-v2/imbot.v2/
// commands/): Command.register/update/list/unregister, a person's `/ping 1 2` reaching the bot
// as ONIMBOTV2COMMANDADD (fetch and webhook mode), and Command.answer in that dialog; then the
// user events of im.v2.Event.subscribe/get/unsubscribe (im.v2/events/).

const NO_LIMITS = { bucket: { burst: 100_000, drainPerSecond: 1_000 } };

describe("chat bot 2.0 commands", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let app: InstalledApp;
  let server: HandlerServer;
  let anna: number;
  let ben: number;

  const asApp = (method: string, params: Record<string, unknown> = {}) =>
    call(app.auth.client_endpoint, method, { ...params, auth: app.auth.access_token });
  const asHook = (method: string, params: Record<string, unknown> = {}) => call(hook, method, params);
  const write = (fromUserId: number, dialogId: string | number, message: string) =>
    control(emu).chatWrite(memberId, { fromUserId, dialogId, message });
  const dialog = (dialogId: string | number, userId: number) =>
    control(emu).chatDialog(memberId, dialogId, userId);
  const expectError = (r: RestReply, status: number, error: string) =>
    expect({ status: r.status, error: r.body.error }).toEqual({ status, error });
  const events = async (botId: number) =>
    (await asApp("imbot.v2.Event.get", { botId })).body.result.events as Array<{ type: string; data: any }>;

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    await control(emu).send("PATCH", `portals/${memberId}`, NO_LIMITS);
    server = await handlerServer();
    app = await installApp(emu, memberId, { scopes: ["imbot", "im"] });
    anna = (await control(emu).addUser(memberId, { NAME: "Anna", LAST_NAME: "Weber" })).user.ID;
    ben = (await control(emu).addUser(memberId, { NAME: "Ben" })).user.ID;
  });
  afterAll(async () => {
    await emu.world.events.idle();
    await server.close();
    await emu.close();
  });

  it("register, update, list and unregister with the pages' shapes and errors", async () => {
    const bot = (
      await asApp("imbot.v2.Bot.register", { fields: { code: "cmd_bot", properties: { name: "Cmd" } } })
    ).body.result.bot.id as number;
    const reg = await asApp("imbot.v2.Command.register", {
      botId: bot,
      fields: { command: "help", title: { en: "Help", de: "Hilfe" }, params: { en: "topic" } },
    });
    expect(reg.body.result.command).toEqual({
      id: expect.any(Number),
      botId: bot,
      command: "/help",
      common: false,
      hidden: false,
      extranetSupport: false,
    });
    const id = reg.body.result.command.id as number;
    // Idempotent: the same command comes back unchanged.
    const again = await asApp("imbot.v2.Command.register", {
      botId: bot,
      fields: { command: "help", title: { en: "Other" }, common: true },
    });
    expect(again.body.result.command).toMatchObject({ id, common: false });
    expectError(
      await asApp("imbot.v2.Command.register", { botId: bot, fields: {} }),
      400,
      "COMMAND_REQUIRED",
    );
    expectError(
      await asApp("imbot.v2.Command.register", { botId: bot, fields: { command: 5, title: { en: "X" } } }),
      400,
      "COMMAND_NAME_INVALID",
    );
    expectError(
      await asApp("imbot.v2.Command.register", { botId: bot, fields: { command: "x" } }),
      400,
      "COMMAND_TITLE_REQUIRED",
    );
    // Hidden commands need no title; the legacy flat format still works.
    const hidden = await asApp("imbot.v2.Command.register", { botId: bot, command: "secret", hidden: "Y" });
    expect(hidden.body.result.command).toMatchObject({ command: "/secret", hidden: true });

    const updated = await asApp("imbot.v2.Command.update", {
      botId: bot,
      commandId: id,
      fields: { title: { de: "Hilfe!", en: null }, common: true },
    });
    expect(updated.body.result.command).toMatchObject({ id, command: "/help", common: true });
    expectError(
      await asApp("imbot.v2.Command.update", { botId: bot, commandId: id, fields: { command: "secret" } }),
      400,
      "COMMAND_ALREADY_EXISTS",
    );
    expectError(
      await asApp("imbot.v2.Command.update", { botId: bot, commandId: id, fields: { command: "" } }),
      400,
      "COMMAND_NAME_EMPTY",
    );
    expectError(
      await asApp("imbot.v2.Command.update", { botId: bot, commandId: 99999, fields: {} }),
      400,
      "COMMAND_NOT_FOUND",
    );

    const list = await asApp("imbot.v2.Command.list", { botId: bot });
    expect(list.body.result.commands).toEqual([
      {
        id,
        botId: bot,
        command: "/help",
        // `en` was removed: the title falls back to the remaining language.
        title: "Hilfe!",
        params: "",
        common: true,
        hidden: false,
        extranetSupport: false,
        category: "Cmd",
        context: "",
      },
      expect.objectContaining({ command: "/secret", title: "" }),
    ]);
    expect((await asApp("imbot.v2.Bot.get", { botId: bot })).body.result.bot.countCommand).toBe(2);
    expect((await asApp("imbot.v2.Command.unregister", { botId: bot, commandId: id })).body.result).toEqual({
      result: true,
    });
    expectError(
      await asApp("imbot.v2.Command.unregister", { botId: bot, commandId: id }),
      400,
      "COMMAND_NOT_FOUND",
    );
  });

  it("fetch mode: `/ping 1 2` gives ONIMBOTV2MESSAGEADD, then ONIMBOTV2COMMANDADD; the answer shows in the dialog", async () => {
    const bot = (
      await asApp("imbot.v2.Bot.register", { fields: { code: "pinger", properties: { name: "Pinger" } } })
    ).body.result.bot.id as number;
    const cmd = (
      await asApp("imbot.v2.Command.register", {
        botId: bot,
        fields: { command: "ping", title: { en: "Ping" } },
      })
    ).body.result.command.id as number;
    const written = await write(anna, bot, "/ping 1 2");
    const got = await events(bot);
    expect(got.map((e) => e.type)).toEqual([
      "ONIMBOTV2JOINCHAT",
      "ONIMBOTV2MESSAGEADD",
      "ONIMBOTV2COMMANDADD",
    ]);
    const data = got[2]!.data;
    expect(data.command).toEqual({ id: cmd, command: "/ping", params: "1 2", context: "textarea" });
    expect(data.message).toMatchObject({ id: written.messageId, text: "/ping 1 2", authorId: anna });
    expect(data.chat).toMatchObject({ dialogId: String(anna), type: "private" });
    expect(data.chat).not.toHaveProperty("role");
    expect(data.user).toMatchObject({ id: anna, name: "Anna Weber" });
    expect(data.bot).toMatchObject({ id: bot, eventMode: "fetch", countCommand: 1 });
    expect(data.language).toBe("en");

    const answered = await asApp("imbot.v2.Command.answer", {
      botId: bot,
      commandId: cmd,
      messageId: written.messageId,
      dialogId: data.chat.dialogId,
      fields: { message: "pong" },
    });
    expect(answered.body.result).toEqual({ result: true });
    expect((await dialog(bot, anna)).map((m) => [m.authorId, m.text])).toEqual([
      [anna, "/ping 1 2"],
      [bot, "pong"],
    ]);
    // The pair must be a call of the bot's command.
    const plain = await write(anna, bot, "no command here");
    expectError(
      await asApp("imbot.v2.Command.answer", {
        botId: bot,
        commandId: cmd,
        messageId: plain.messageId,
        dialogId: String(anna),
        fields: { message: "pong" },
      }),
      400,
      "COMMAND_ANSWER_FAILED",
    );
  });

  it("commands in group chats: local ones where the bot is, common ones anywhere (answered as a system message)", async () => {
    const bot = (
      await asApp("imbot.v2.Bot.register", { fields: { code: "helper", properties: { name: "Helper" } } })
    ).body.result.bot.id as number;
    const reg = (command: string, common: boolean) =>
      asApp("imbot.v2.Command.register", { botId: bot, fields: { command, common, title: { en: command } } });
    const local = (await reg("local", false)).body.result.command.id as number;
    const common = (await reg("common", true)).body.result.command.id as number;
    const made = await control(emu).send("POST", `portals/${memberId}/chats`, { userIds: [anna, ben] });
    const dialogId = made.body.dialogId as string;
    const written = await write(anna, dialogId, "/local x\n/common a b");
    const got = await events(bot);
    // Not a member: only the common command reaches it, and no ONIMBOTV2MESSAGEADD.
    expect(got.map((e) => [e.type, e.data.command?.id])).toEqual([["ONIMBOTV2COMMANDADD", common]]);
    expect(got[0]!.data.command.params).toBe("a b");
    await asApp("imbot.v2.Command.answer", {
      botId: bot,
      commandId: common,
      messageId: written.messageId,
      dialogId,
      fields: { message: "Done" },
    });
    expect((await dialog(dialogId, anna)).at(-1)).toMatchObject({ text: "Helper: Done", system: true });
    expectError(
      await asApp("imbot.v2.Command.answer", {
        botId: bot,
        commandId: local,
        messageId: written.messageId,
        dialogId,
        fields: { message: "No" },
      }),
      400,
      "COMMAND_ANSWER_FAILED",
    );
  });

  it("webhook mode (botToken bot): ONIMBOTV2COMMANDADD is POSTed to the bot's URL; the answer goes through the webhook", async () => {
    const bot = (
      await asHook("imbot.v2.Bot.register", {
        fields: {
          code: "hook_cmd",
          botToken: "cmd_token",
          properties: { name: "Hooky" },
          eventMode: "webhook",
          webhookUrl: `${server.url}cmd`,
        },
      })
    ).body.result.bot.id as number;
    const reg = await asHook("imbot.v2.Command.register", {
      botId: bot,
      botToken: "cmd_token",
      fields: { command: "ping", title: { en: "Ping" } },
    });
    expect(reg.status).toBe(200);
    expectError(await asHook("imbot.v2.Command.list", { botId: bot }), 400, "BOT_TOKEN_NOT_SPECIFIED");
    await write(ben, bot, "/ping 1 2");
    const [event] = await server.waitFor((r) => r.path === "/cmd" && r.body.event === "ONIMBOTV2COMMANDADD");
    expect(event!.body.data).toMatchObject({
      bot: { id: String(bot), code: "hook_cmd" },
      command: {
        id: String(reg.body.result.command.id),
        command: "/ping",
        params: "1 2",
        context: "textarea",
      },
      message: { text: "/ping 1 2", authorId: String(ben) },
      chat: { dialogId: String(ben) },
      user: { id: String(ben) },
      language: "en",
    });
    const answered = await asHook("imbot.v2.Command.answer", {
      botId: bot,
      botToken: "cmd_token",
      commandId: Number(event!.body.data.command.id),
      messageId: Number(event!.body.data.message.id),
      dialogId: event!.body.data.chat.dialogId,
      fields: { message: "pong" },
    });
    expect(answered.body.result).toEqual({ result: true });
    expect((await dialog(bot, ben)).at(-1)).toMatchObject({ authorId: bot, text: "pong" });
  });

  it("im.v2.Event: a subscribed user's chats are recorded for get (offset confirms); unsubscribe stops it", async () => {
    const me = app.auth.user_id;
    const get = async (params: Record<string, unknown> = {}) =>
      (await asApp("im.v2.Event.get", params)).body.result as {
        events: Array<{ eventId: number; type: string; data: any }>;
        nextOffset: number;
        hasMore: boolean;
      };
    const made = await control(emu).send("POST", `portals/${memberId}/chats`, {
      authorId: me,
      title: "Team",
      userIds: [anna],
    });
    const dialogId = made.body.dialogId as string;
    // Nothing is recorded before the subscription.
    await write(anna, dialogId, "Before");
    expect((await get()).events).toEqual([]);
    expect((await asApp("im.v2.Event.subscribe")).body.result).toBe(true);
    expect((await asApp("im.v2.Event.subscribe")).body.result).toBe(true);

    const written = await write(anna, dialogId, "Hello team");
    const first = await get();
    expect(first.events.map((e) => e.type)).toEqual(["ONIMV2MESSAGEADD"]);
    expect(first.events[0]!.data).toMatchObject({
      message: { id: written.messageId, text: "Hello team", authorId: anna },
      chat: { dialogId, type: "chat", name: "Team" },
      user: { id: anna, idle: false, lastActivityDate: false },
      language: "en",
    });
    expect(first.events[0]!.data.chat).not.toHaveProperty("role");
    expect(first.nextOffset).toBe(first.events[0]!.eventId + 1);

    // A bot joins, writes, edits and deletes: join, add, update, delete; limit pages them.
    const bot = (
      await asApp("imbot.v2.Bot.register", { fields: { code: "im_v2_bot", properties: { name: "Joiner" } } })
    ).body.result.bot.id as number;
    await control(emu).send("POST", `portals/${memberId}/chat/join`, { botId: bot, chatId: written.chatId });
    const sent = await asApp("imbot.v2.Chat.Message.send", {
      botId: bot,
      dialogId,
      fields: { message: "Hi" },
    });
    const id = sent.body.result.id as number;
    await asApp("imbot.v2.Chat.Message.update", { botId: bot, messageId: id, fields: { message: "Hi!" } });
    await asApp("imbot.v2.Chat.Message.delete", { botId: bot, messageId: id });
    const page = await get({ offset: first.nextOffset, limit: 2 });
    expect(page.events.map((e) => e.type)).toEqual(["ONIMV2JOINCHAT", "ONIMV2MESSAGEADD"]);
    expect(page.hasMore).toBe(true);
    expect(page.events[0]!.data).toMatchObject({ dialogId, user: { id: bot } });
    const rest = await get({ offset: page.nextOffset });
    expect(rest.events.map((e) => [e.type, e.data.message?.text ?? e.data.messageId])).toEqual([
      ["ONIMV2MESSAGEUPDATE", "Hi!"],
      ["ONIMV2MESSAGEDELETE", id],
    ]);

    // imbot.v2.Event.get with withUserEvents: the bot's and the user's events, one offset for both.
    await write(anna, dialogId, `[USER=${bot}]Joiner[/USER] hi`);
    const both = await asApp("imbot.v2.Event.get", {
      botId: bot,
      offset: rest.nextOffset,
      withUserEvents: true,
    });
    expect(both.body.result.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["ONIMBOTV2MESSAGEADD", "ONIMV2MESSAGEADD"]),
    );

    expect((await asApp("im.v2.Event.unsubscribe")).body.result).toBe(true);
    await write(anna, dialogId, "After");
    const after = await get({ offset: both.body.result.nextOffset });
    expect(after.events).toEqual([]);
    expectError(
      await asApp("imbot.v2.Event.get", { botId: bot, withUserEvents: true }),
      400,
      "USER_NOT_SUBSCRIBED",
    );
  });
});
