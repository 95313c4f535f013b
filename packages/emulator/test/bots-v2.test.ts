import type { EmulatorHandle } from "@b24kit/emulator";
import {
  type CapturedRequest,
  control,
  type HandlerServer,
  handlerServer,
  type InstalledApp,
  installApp,
  testEmulator,
  waitFor,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type RestReply } from "./helpers.js";

// Chatbots 2.0 over HTTP (api-reference/chat-bots/chat-bots-v2/): imbot.v2.Bot.* with both
// authorizations, the ONIMBOTV2* events of fetch mode (imbot.v2.Event.get) and webhook mode
// (form POSTs to the bot's URL), answers with imbot.v2.Chat.Message.send, and classic bots
// living beside v2 ones in the same chats.

const NO_LIMITS = { bucket: { burst: 100_000, drainPerSecond: 1_000 } };

describe("chat bots 2.0", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let app: InstalledApp;
  let other: InstalledApp;
  let server: HandlerServer;
  let anna: number;
  /** Replies the webhook handler sent through imbot.v2.Chat.Message.send. */
  const replies: RestReply[] = [];

  const asApp = (method: string, params: Record<string, unknown> = {}, who: InstalledApp = app) =>
    call(who.auth.client_endpoint, method, { ...params, auth: who.auth.access_token });
  const asHook = (method: string, params: Record<string, unknown> = {}) => call(hook, method, params);
  const write = (fromUserId: number, dialogId: string | number, message: string) =>
    control(emu).chatWrite(memberId, { fromUserId, dialogId, message });
  const dialog = (dialogId: string | number, userId: number) =>
    control(emu).chatDialog(memberId, dialogId, userId);
  const expectError = (r: RestReply, status: number, error: string) =>
    expect({ status: r.status, error: r.body.error }).toEqual({ status, error });
  const idle = () => emu.world.events.idle();

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    await control(emu).send("PATCH", `portals/${memberId}`, NO_LIMITS);
    // The bot's handler answers every v2 message the way the docs' webhook example does.
    server = await handlerServer({
      answer: (r: CapturedRequest) => {
        if (r.body.event === "ONIMBOTV2MESSAGEADD" && r.body.data.bot.auth.access_token) {
          void call(r.body.data.bot.auth.client_endpoint, "imbot.v2.Chat.Message.send", {
            auth: r.body.data.bot.auth.access_token,
            botId: Number(r.body.data.bot.id),
            dialogId: r.body.data.chat.dialogId,
            fields: { message: `Received: ${r.body.data.message.text}` },
          }).then((reply) => replies.push(reply));
        }
        return { status: 200, body: '{"status":"ok"}' };
      },
    });
    app = await installApp(emu, memberId, { scopes: ["imbot", "im"] });
    other = await installApp(emu, memberId, { scopes: ["imbot"] });
    anna = (await control(emu).addUser(memberId, { NAME: "Anna", LAST_NAME: "Weber" })).user.ID;
  });
  afterAll(async () => {
    await idle();
    await server.close();
    await emu.close();
  });

  describe("registration", () => {
    let botId: number;

    it("Bot.register through OAuth: the extended Bot object and its user; fetch mode by default", async () => {
      const r = await asApp("imbot.v2.Bot.register", {
        fields: { code: "support_bot", properties: { name: "Support", lastName: "Bot", workPosition: "AI" } },
      });
      expect(r.status).toBe(200);
      botId = r.body.result.bot.id;
      expect(r.body.result.bot).toMatchObject({
        code: "support_bot",
        type: "bot",
        isHidden: false,
        isReactionsEnabled: true,
        backgroundId: null,
        language: "en",
        moduleId: "rest",
        eventMode: "fetch",
        countMessage: 0,
      });
      expect(r.body.result.users).toEqual([
        expect.objectContaining({
          id: botId,
          name: "Support Bot",
          bot: true,
          type: "bot",
          externalAuthId: "bot",
        }),
      ]);
      // Idempotent for the same app; another app cannot take the code.
      const again = await asApp("imbot.v2.Bot.register", {
        fields: { code: "support_bot", properties: { name: "Renamed" } },
      });
      expect(again.body.result.bot.id).toBe(botId);
      expect(again.body.result.users[0].firstName).toBe("Support");
      expectError(
        await asApp(
          "imbot.v2.Bot.register",
          { fields: { code: "support_bot", properties: { name: "X" } } },
          other,
        ),
        400,
        "BOT_CODE_ALREADY_TAKEN",
      );
    });

    it("refuses what bot-register.md lists", async () => {
      const reg = (fields: Record<string, unknown>) => asApp("imbot.v2.Bot.register", { fields });
      const props = { properties: { name: "X" } };
      expectError(await reg(props), 400, "BOT_CODE_REQUIRED");
      expectError(await reg({ code: "x" }), 400, "BOT_PROPERTIES_REQUIRED");
      expectError(await reg({ code: "x", ...props, type: "robot" }), 400, "BOT_INVALID_TYPE");
      expectError(await reg({ code: "x", ...props, eventMode: "push" }), 400, "BOT_INVALID_EVENT_MODE");
      expectError(await reg({ code: "x", ...props, eventMode: "webhook" }), 400, "BOT_WEBHOOK_URL_REQUIRED");
      expectError(
        await reg({ code: "x", ...props, eventMode: "webhook", webhookUrl: "not a url" }),
        400,
        "BOT_INVALID_CALLBACK",
      );
    });

    it("through a webhook the botToken is the key: required, then checked on every call", async () => {
      const fields = { code: "hook_bot", properties: { name: "Hook" } };
      expectError(await asHook("imbot.v2.Bot.register", { fields }), 400, "BOT_TOKEN_NOT_SPECIFIED");
      const r = await asHook("imbot.v2.Bot.register", { fields: { ...fields, botToken: "secret_1" } });
      expect(r.status).toBe(200);
      const id = r.body.result.bot.id;
      // Top-level botToken works as well (bot-register.md's examples use both).
      const again = await asHook("imbot.v2.Bot.register", { botToken: "secret_1", fields });
      expect(again.body.result.bot.id).toBe(id);
      expectError(await asHook("imbot.v2.Bot.get", { botId: id }), 400, "BOT_TOKEN_NOT_SPECIFIED");
      expectError(
        await asHook("imbot.v2.Bot.update", { botId: id, botToken: "wrong", fields: {} }),
        403,
        "BOT_OWNERSHIP_ERROR",
      );
      expectError(
        await asHook("imbot.v2.Bot.update", { botToken: "secret_1", fields: {} }),
        400,
        "BOT_ID_REQUIRED",
      );
      expectError(
        await asHook("imbot.v2.Bot.update", { botId: 99999, botToken: "secret_1", fields: {} }),
        400,
        "BOT_NOT_FOUND",
      );
      // An app owns only its own bots.
      expectError(await asApp("imbot.v2.Bot.unregister", { botId: id }), 403, "BOT_OWNERSHIP_ERROR");
      // Rotation: the old token stops working at once.
      const rotated = await asHook("imbot.v2.Bot.update", {
        botId: id,
        botToken: "secret_1",
        fields: { botToken: "secret_2", properties: { workPosition: "Rotated" } },
      });
      expect(rotated.status).toBe(200);
      expectError(
        await asHook("imbot.v2.Bot.update", { botId: id, botToken: "secret_1", fields: {} }),
        403,
        "BOT_OWNERSHIP_ERROR",
      );
      const listed = await asHook("imbot.v2.Bot.list", { botToken: "secret_2" });
      expect(listed.body.result.bots.map((b: { id: number }) => b.id)).toEqual([id]);
      expect(
        (await asHook("imbot.v2.Bot.unregister", { botId: id, botToken: "secret_2" })).body.result,
      ).toEqual({
        result: true,
      });
    });

    it("Bot.list and Bot.get: the app's bots, v1 ones included; brief format for other apps", async () => {
      const v1 = await asApp("imbot.register", {
        CODE: "classic",
        EVENT_HANDLER: `${server.url}classic`,
        PROPERTIES: { NAME: "Classic" },
      });
      const list = await asApp("imbot.v2.Bot.list");
      expect(list.body.result.bots.map((b: { code: string }) => b.code)).toEqual(["support_bot", "classic"]);
      expect(list.body.result.hasNextPage).toBe(false);
      expect(list.body.result.bots[1]).toMatchObject({ id: v1.body.result, eventMode: "webhook" });
      const paged = await asApp("imbot.v2.Bot.list", { limit: 1 });
      expect(paged.body.result).toMatchObject({ hasNextPage: true, bots: [{ code: "support_bot" }] });
      const brief = await asApp("imbot.v2.Bot.get", { code: "support_bot" }, other);
      expect(brief.body.result.bot.id).toBe(botId);
      expect(brief.body.result.bot).not.toHaveProperty("eventMode");
      expectError(await asApp("imbot.v2.Bot.get", {}), 400, "PARAMS_REQUIRED");
    });
  });

  it("fetch mode: a person's message is queued for Event.get in the v2 format; the bot answers", async () => {
    const bot = (
      await asApp("imbot.v2.Bot.register", { fields: { code: "fetcher", properties: { name: "Fetcher" } } })
    ).body.result.bot.id as number;
    const written = await write(anna, bot, "Hello bot!");
    const first = await asApp("imbot.v2.Event.get", { botId: bot });
    const { events, nextOffset, hasMore } = first.body.result;
    expect(events.map((e: { type: string }) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    expect(hasMore).toBe(false);
    expect(nextOffset).toBe(events[1].eventId + 1);
    const add = events[1].data;
    expect(add.bot).toMatchObject({ id: bot, code: "fetcher", eventMode: "fetch" });
    expect(add.bot).not.toHaveProperty("auth");
    expect(add.message).toMatchObject({
      id: written.messageId,
      chatId: written.chatId,
      authorId: anna,
      text: "Hello bot!",
      isSystem: false,
      forward: null,
    });
    // In a private dialog the bot sees the person's id as dialogId (index.md "Format of dialogId").
    expect(add.chat).toMatchObject({ id: written.chatId, dialogId: String(anna), type: "private" });
    expect(add.chat).not.toHaveProperty("role");
    expect(add.user).toMatchObject({ id: anna, name: "Anna Weber", bot: false, type: "employee" });
    expect(add.language).toBe("en");
    expect(events[0].data).toMatchObject({ dialogId: String(anna), user: { id: anna } });

    const sent = await asApp("imbot.v2.Chat.Message.send", {
      botId: bot,
      dialogId: add.chat.dialogId,
      fields: { message: "Hello! How can I help you?" },
    });
    expect(sent.body.result).toEqual({ id: expect.any(Number), uuidMap: {} });
    expect((await dialog(bot, anna)).map((m) => m.text)).toEqual([
      "Hello bot!",
      "Hello! How can I help you?",
    ]);
    // Confirmed events are gone; the bot's own message makes none.
    const next = await asApp("imbot.v2.Event.get", { botId: bot, offset: nextOffset });
    expect(next.body.result).toEqual({ events: [], nextOffset, hasMore: false });
    // Messages it sent can be edited and deleted; others' cannot.
    expect(
      (
        await asApp("imbot.v2.Chat.Message.update", {
          botId: bot,
          messageId: sent.body.result.id,
          fields: { message: "Edited" },
        })
      ).body.result,
    ).toEqual({ result: true });
    expectError(
      await asApp("imbot.v2.Chat.Message.update", {
        botId: bot,
        messageId: written.messageId,
        fields: { message: "No" },
      }),
      403,
      "ACCESS_DENIED",
    );
    await asApp("imbot.v2.Chat.Message.delete", { botId: bot, messageId: sent.body.result.id });
    expect((await dialog(bot, anna)).map((m) => m.text)).toEqual(["Hello bot!"]);
    expectError(
      await asApp("imbot.v2.Chat.Message.send", { botId: bot, dialogId: anna, fields: { message: " " } }),
      400,
      "EMPTY_MESSAGE",
    );
  });

  it("webhook mode: ONIMBOTV2* form POSTs to the bot's URL, with its auth for the answer", async () => {
    const reg = await asApp("imbot.v2.Bot.register", {
      fields: {
        code: "hooked",
        properties: { name: "Hooked" },
        eventMode: "webhook",
        webhookUrl: `${server.url}v2`,
      },
    });
    const bot = reg.body.result.bot.id as number;
    expect(reg.body.result.bot.eventMode).toBe("webhook");
    // The platform subscribes the bot to the eight ONIMBOTV2* events (they show in event.get).
    const bound = (await asApp("event.get")).body.result as Array<{ event: string; handler: string }>;
    expect(bound.filter((b) => b.handler === `${server.url}v2`).map((b) => b.event)).toHaveLength(8);

    await write(anna, bot, "Ping");
    const [join, add] = await server.waitFor((r) => r.path === "/v2", 2);
    expect(join!.body.event).toBe("ONIMBOTV2JOINCHAT");
    expect(add!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(add!.body).toMatchObject({
      event: "ONIMBOTV2MESSAGEADD",
      data: {
        bot: { id: String(bot), code: "hooked", auth: { user_id: String(bot), member_id: memberId } },
        message: { text: "Ping", authorId: String(anna), isSystem: "0" },
        chat: { dialogId: String(anna) },
        user: { id: String(anna), lastActivityDate: "0" },
        language: "en",
      },
      auth: { application_token: app.applicationToken, member_id: memberId },
    });
    expect(add!.body.ts).toMatch(/^\d+$/);
    expect(add!.body.auth).not.toHaveProperty("access_token");
    await waitFor(() => replies.length > 0);
    expect(replies[0]!.body.result.id).toEqual(expect.any(Number));
    await waitFor(async () => (await dialog(bot, anna)).some((m) => m.text === "Received: Ping"));
    // No v2 bot gets the classic event.
    expect(server.of("ONIMBOTMESSAGEADD")).toEqual([]);

    // Unregister: ONIMBOTV2DELETE is the last event.
    await asApp("imbot.v2.Bot.unregister", { botId: bot });
    const [deleted] = await server.waitFor((r) => r.body.event === "ONIMBOTV2DELETE");
    expect(deleted!.body.data.bot).toMatchObject({ id: String(bot), code: "hooked" });
  });

  it("a botToken bot in webhook mode gets events with the portal's addresses and answers through the webhook", async () => {
    const reg = await asHook("imbot.v2.Bot.register", {
      fields: {
        code: "agent",
        botToken: "agent_token",
        properties: { name: "Agent" },
        eventMode: "webhook",
        webhookUrl: `${server.url}agent`,
      },
    });
    const bot = reg.body.result.bot.id as number;
    await write(anna, bot, "Status?");
    const [add] = await server.waitFor((r) => r.path === "/agent" && r.body.event === "ONIMBOTV2MESSAGEADD");
    expect(add!.body.data.bot.auth).not.toHaveProperty("access_token");
    expect(add!.body.auth.application_token).toBe(add!.body.data.bot.auth.application_token);
    const sent = await asHook("imbot.v2.Chat.Message.send", {
      botId: bot,
      botToken: "agent_token",
      dialogId: add!.body.data.chat.dialogId,
      fields: { message: "All good" },
    });
    expect(sent.status).toBe(200);
    expect((await dialog(bot, anna)).at(-1)!.text).toBe("All good");
  });

  it("classic and v2 bots share a group chat; each gets only its own API's events", async () => {
    const v2 = (
      await asApp("imbot.v2.Bot.register", {
        fields: { code: "observer", type: "supervisor", properties: { name: "Observer" } },
      })
    ).body.result.bot.id as number;
    const classic = (
      await asApp("imbot.register", {
        CODE: "watcher",
        TYPE: "S",
        EVENT_HANDLER: `${server.url}classic`,
        PROPERTIES: { NAME: "Watcher" },
      })
    ).body.result as number;
    const made = await control(emu).send("POST", `portals/${memberId}/chats`, {
      title: "Team",
      userIds: [anna, v2, classic],
    });
    const dialogId = made.body.dialogId as string;
    await write(anna, dialogId, "Morning all");
    const classicEvents = await server.waitFor(
      (r) => r.path === "/classic" && r.body.event === "ONIMBOTMESSAGEADD",
    );
    expect(classicEvents[0]!.body.data.PARAMS.MESSAGE).toBe("Morning all");
    const events = (await asApp("imbot.v2.Event.get", { botId: v2 })).body.result.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    expect(events[1].data.chat).toMatchObject({ dialogId, type: "chat", name: "Team" });
    // Both bots write in the chat; the v2 bot reads it with Chat.get.
    const chat = await asApp("imbot.v2.Chat.get", { botId: v2, dialogId });
    expect(chat.body.result.chat).toMatchObject({ dialogId, role: "member", userCounter: 4 });
    await asApp("imbot.v2.Chat.Message.send", { botId: v2, dialogId, fields: { message: "Noted (v2)" } });
    await asApp("imbot.message.add", { BOT_ID: classic, DIALOG_ID: dialogId, MESSAGE: "Noted (v1)" });
    expect((await dialog(dialogId, anna)).map((m) => m.text)).toEqual([
      "Morning all",
      "Noted (v2)",
      "Noted (v1)",
    ]);
    await idle();
    expect(server.requests.filter((r) => r.path === "/classic" && /V2/.test(r.body.event))).toEqual([]);
    // Not a member: ACCESS_DENIED.
    const lone = (await control(emu).send("POST", `portals/${memberId}/chats`, { userIds: [anna] })).body
      .dialogId as string;
    expectError(await asApp("imbot.v2.Chat.get", { botId: v2, dialogId: lone }), 403, "ACCESS_DENIED");
  });
});
