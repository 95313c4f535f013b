import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type RestReply } from "./helpers.js";

// Chat bots over HTTP (docs/protocol.md §12): imbot.register, bot events to a real
// handler on 127.0.0.1, replies with imbot.message.add, im.message.add.

const NO_LIMITS = { bucket: { burst: 100_000, drainPerSecond: 1_000 } };

interface Received {
  path: string;
  body: Record<string, any>;
}

/** A bot's handler: records every POST (parsed as PHP would: numeric keys stay keys) and answers 200. */
async function startBotServer(onEvent?: (r: Received) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        path: req.url ?? "",
        body: qs.parse(Buffer.concat(chunks).toString("utf8"), { depth: 10, parseArrays: false }),
      };
      received.push(r);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      onEvent?.(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot`,
    received,
    of: (event: string) => received.filter((r) => r.body.event === event),
    clear: () => received.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` passes (deliveries are asynchronous, §7.1). */
async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe("chat bots", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let app: { clientId: string };
  let auth: { access_token: string; client_endpoint: string; application_token: string };
  let server: Awaited<ReturnType<typeof startBotServer>>;
  /** Replies the handler sent through imbot.message.add. */
  const replies: RestReply[] = [];
  let botId: number;
  let user2: number;

  const asApp = (method: string, params: Record<string, unknown> = {}) =>
    call(auth.client_endpoint, method, { ...params, auth: auth.access_token });
  const expectError = (r: RestReply, status: number, error: string, description?: string) => {
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(error);
    if (description !== undefined) expect(r.body.error_description).toBe(description);
  };
  const write = (fromUserId: number, dialogId: string | number, message: string) =>
    control(emu).send("POST", `portals/${memberId}/chat/messages`, { fromUserId, dialogId, message });
  const idle = () => emu.world.events.idle();

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    await control(emu).send("PATCH", `portals/${memberId}`, NO_LIMITS);
    // The bot's handler answers every message it gets, as an echo bot would.
    server = await startBotServer((r) => {
      if (r.body.event !== "ONIMBOTMESSAGEADD") return;
      const [id, bot] = Object.entries(r.body.data.BOT as Record<string, any>)[0]!;
      void call(bot.client_endpoint, "imbot.message.add", {
        auth: bot.access_token,
        BOT_ID: id,
        DIALOG_ID: r.body.data.PARAMS.DIALOG_ID,
        MESSAGE: `Echo: ${r.body.data.PARAMS.MESSAGE}`,
      }).then((reply) => replies.push(reply));
    });
    app = (await control(emu).send("POST", "apps", { scopes: ["imbot", "im", "user"] })).body as typeof app;
    auth = (await control(emu).send("POST", `portals/${memberId}/install`, { clientId: app.clientId })).body
      .auth;
    user2 = (
      await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Ivan", LAST_NAME: "Petrov" })
    ).body.user.ID;
  });
  afterAll(async () => {
    await idle();
    await server.close();
    await emu.close();
  });

  it("imbot.register creates a bot user that user.get does not list", async () => {
    const r = await asApp("imbot.register", {
      CODE: "echo",
      TYPE: "B",
      EVENT_HANDLER: server.url,
      PROPERTIES: { NAME: "Echo", LAST_NAME: "Bot", WORK_POSITION: "Repeats you", COLOR: "AQUA" },
    });
    expect(r.status).toBe(200);
    expect(typeof r.body.result).toBe("number");
    botId = r.body.result as number;
    const users = (await asApp("user.get")).body.result as Array<{ ID: string }>;
    expect(users.map((u) => u.ID)).not.toContain(String(botId));
    // Registering binds the app's bot events (they show in event.get and the installation).
    const installation = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(
      (installation.body.events as Array<{ event: string; handler: string }>).map((e) => e.event).sort(),
    ).toEqual(["ONIMBOTDELETE", "ONIMBOTJOINCHAT", "ONIMBOTMESSAGEADD"]);
    // The same app registering the same CODE again gets its bot back (bindings restored if gone).
    const again = await asApp("imbot.register", {
      CODE: "echo",
      EVENT_HANDLER: server.url,
      PROPERTIES: { NAME: "E" },
    });
    expect(again.body.result).toBe(botId);
    const bots = await control(emu).send("GET", `portals/${memberId}/bots`);
    expect(bots.body.bots).toEqual([
      expect.objectContaining({
        id: botId,
        code: "echo",
        type: "B",
        clientId: app.clientId,
        name: "Echo Bot",
      }),
    ]);
  });

  it("imbot.register validates its parameters", async () => {
    expectError(
      await asApp("imbot.register", { CODE: "x", PROPERTIES: { NAME: "X" } }),
      400,
      "EVENT_MESSAGE_ADD_ERROR",
      'Handler for "Message add" event isn\'t specified',
    );
    expectError(
      await asApp("imbot.register", {
        CODE: "x",
        EVENT_MESSAGE_ADD: server.url,
        EVENT_BOT_DELETE: server.url,
        PROPERTIES: { NAME: "X" },
      }),
      400,
      "EVENT_WELCOME_MESSAGE_ERROR",
      'Handler for "Welcome message" event isn\'t specified',
    );
    expectError(
      await asApp("imbot.register", {
        CODE: "x",
        EVENT_HANDLER: "https://localhost/bot",
        PROPERTIES: { NAME: "X" },
      }),
      400,
      "EVENT_MESSAGE_ADD_ERROR",
      "Wrong handler URL",
    );
    expectError(
      await asApp("imbot.register", { EVENT_HANDLER: server.url, PROPERTIES: { NAME: "X" } }),
      400,
      "CODE_ERROR",
      "Bot code isn't specified",
    );
    expectError(
      await asApp("imbot.register", { CODE: "x", EVENT_HANDLER: server.url, PROPERTIES: { COLOR: "RED" } }),
      400,
      "NAME_ERROR",
      "Bot name isn't specified",
    );
    // Through a webhook the app is named by CLIENT_ID.
    expectError(
      await call(hook, "imbot.register", { CODE: "x", EVENT_HANDLER: server.url, PROPERTIES: { NAME: "X" } }),
      403,
      "ACCESS_DENIED",
      "Access denied! Client ID not specified",
    );
  });

  it("allows five bots per app and keeps CODE unique per portal", async () => {
    const other = (await control(emu).send("POST", "apps", { scopes: ["imbot"] })).body;
    const otherAuth = (
      await control(emu).send("POST", `portals/${memberId}/install`, { clientId: other.clientId })
    ).body.auth;
    const reg = (code: string) =>
      call(otherAuth.client_endpoint, "imbot.register", {
        auth: otherAuth.access_token,
        CODE: code,
        EVENT_HANDLER: server.url,
        PROPERTIES: { LAST_NAME: code },
      });
    expectError(await reg("echo"), 400, "WRONG_REQUEST", "Bot can't be created");
    for (let i = 1; i <= 5; i++) expect((await reg(`bot${i}`)).status).toBe(200);
    expectError(
      await reg("bot6"),
      400,
      "MAX_COUNT_ERROR",
      "Has reached the maximum number of bots for application (max: 5)",
    );
    // Bots of another app are not this app's to use.
    expectError(
      await asApp("imbot.message.add", { BOT_ID: botId + 1, DIALOG_ID: "1", MESSAGE: "hi" }),
      400,
      "APP_ID_ERROR",
      "Bot was installed by another REST application",
    );
  });

  it("round trip: a user writes, the handler gets ONIMBOTMESSAGEADD and replies with the bot's token", async () => {
    server.clear();
    replies.splice(0);
    const posted = await write(user2, botId, "Hello bot");
    expect(posted.status).toBe(201);
    expect(posted.body.dialogId).toBe(String(botId));
    await eventually(() => expect(replies).toHaveLength(1));
    await idle();

    // First contact: ONIMBOTJOINCHAT to the welcome handler.
    const [join] = server.of("ONIMBOTJOINCHAT");
    expect(join?.body.data.PARAMS).toEqual({
      CHAT_TYPE: "P",
      MESSAGE_TYPE: "P",
      BOT_ID: String(botId),
      USER_ID: String(user2),
      TO_USER_ID: String(user2),
      FROM_USER_ID: String(botId),
      DIALOG_ID: String(user2),
      LANGUAGE: "en",
    });
    expect(join?.body.auth.user_id).toBe(String(user2));
    expect(join?.body.auth.refresh_token).toBeUndefined();

    const events = server.of("ONIMBOTMESSAGEADD");
    expect(events).toHaveLength(1);
    const body = events[0]!.body;
    expect(body.event_handler_id).toMatch(/^\d+$/);
    expect(body.ts).toMatch(/^\d+$/);
    const bot = body.data.BOT[String(botId)];
    expect(bot).toMatchObject({
      expires_in: "3600",
      scope: "imbot,im,user",
      domain: emu.portals[0]!.domain,
      member_id: memberId,
      status: "L",
      user_id: String(botId),
      client_id: app.clientId,
      application_token: auth.application_token,
      BOT_ID: String(botId),
      BOT_CODE: "echo",
    });
    expect(bot.access_token).toMatch(/\w+/);
    expect(bot.refresh_token).toMatch(/\w+/);
    expect(bot.AUTH).toMatchObject({ access_token: bot.access_token, user_id: String(botId) });
    expect(body.data.PARAMS).toMatchObject({
      MESSAGE: "Hello bot",
      MESSAGE_ID: String(posted.body.messageId),
      MESSAGE_TYPE: "P",
      CHAT_TYPE: "P",
      DIALOG_ID: String(user2),
      FROM_USER_ID: String(user2),
      AUTHOR_ID: String(user2),
      TO_USER_ID: String(botId),
      TO_CHAT_ID: String(posted.body.chatId),
      SYSTEM: "N",
      LANGUAGE: "en",
    });
    expect(body.data.USER).toEqual({
      ID: String(user2),
      NAME: "Ivan Petrov",
      FIRST_NAME: "Ivan",
      LAST_NAME: "Petrov",
      WORK_POSITION: "Manager",
      GENDER: "",
      IS_BOT: "N",
      IS_CONNECTOR: "N",
      IS_NETWORK: "N",
      IS_EXTRANET: "N",
    });
    // Top-level auth is the author's token.
    expect(body.auth).toMatchObject({ user_id: String(user2), application_token: auth.application_token });
    expect(body.auth.access_token).not.toBe(bot.access_token);
    expect(body.auth.refresh_token).toMatch(/\w+/);

    // The reply went in with the bot's token and shows in the dialog.
    expect(replies[0]).toMatchObject({ status: 200 });
    expect(typeof replies[0]!.body.result).toBe("number");
    const dialog = await control(emu).send(
      "GET",
      `portals/${memberId}/chat/${botId}/messages?userId=${user2}`,
    );
    expect(dialog.body.messages.map((m: { authorId: number; text: string }) => [m.authorId, m.text])).toEqual(
      [
        [user2, "Hello bot"],
        [botId, "Echo: Hello bot"],
      ],
    );
    // The bot reads the same dialog with im.dialog.messages.get (newest first).
    const read = await call(auth.client_endpoint, "im.dialog.messages.get", {
      auth: bot.access_token,
      DIALOG_ID: String(user2),
    });
    expect(read.body.result).toMatchObject({
      chat_id: posted.body.chatId,
      messages: [
        { author_id: botId, text: "Echo: Hello bot" },
        { author_id: user2, text: "Hello bot" },
      ],
    });
    // The message's uuid is the TEMPLATE_ID its event carried.
    expect(read.body.result.messages[1].uuid).toBe(body.data.PARAMS.TEMPLATE_ID);

    // A second message: no second welcome.
    await write(user2, botId, "Again");
    await eventually(() => expect(replies).toHaveLength(2));
    await idle();
    expect(server.of("ONIMBOTJOINCHAT")).toHaveLength(1);
    expect(server.of("ONIMBOTMESSAGEADD")).toHaveLength(2);
  });

  it("im.message.add writes as the calling user and reaches the bot", async () => {
    server.clear();
    const r = await asApp("im.message.add", { DIALOG_ID: String(botId), MESSAGE: "  from the admin  " });
    expect(r.status).toBe(200);
    expect(typeof r.body.result).toBe("number");
    await idle();
    const add = server.of("ONIMBOTMESSAGEADD");
    expect(add).toHaveLength(1);
    expect(add[0]!.body.data.PARAMS).toMatchObject({
      MESSAGE: "from the admin",
      FROM_USER_ID: "1",
      DIALOG_ID: "1",
    });
    expect(add[0]!.body.auth.user_id).toBe("1");
    // Between people no bot event follows.
    server.clear();
    expect((await asApp("im.message.add", { DIALOG_ID: String(user2), MESSAGE: "hi Ivan" })).status).toBe(
      200,
    );
    await idle();
    expect(server.received).toHaveLength(0);
    expectError(
      await asApp("im.message.add", { DIALOG_ID: String(user2), MESSAGE: " " }),
      400,
      "MESSAGE_EMPTY",
    );
    expectError(await asApp("im.message.add", { MESSAGE: "x" }), 400, "USER_ID_EMPTY");
    expectError(await asApp("im.message.add", { DIALOG_ID: "9999", MESSAGE: "x" }), 400, "USER_NOT_FOUND");
    // A chat that does not exist answers CHAT_ID (im-message-add.md).
    expectError(await asApp("im.message.add", { DIALOG_ID: "chat9999", MESSAGE: "x" }), 400, "CHAT_ID");
  });

  it("im.dialog.messages.get pages back with LAST_ID and forward with FIRST_ID; replies keep REPLY_ID", async () => {
    const dialog = String(
      (await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Olga" })).body.user.ID,
    );
    const ids: number[] = [];
    for (const text of ["one", "two", "three", "four"])
      ids.push((await asApp("im.message.add", { DIALOG_ID: dialog, MESSAGE: text })).body.result as number);
    const reply = await asApp("im.message.add", { DIALOG_ID: dialog, MESSAGE: "re: one", REPLY_ID: ids[0] });
    ids.push(reply.body.result as number);
    const page = async (params: Record<string, unknown>) =>
      ((await asApp("im.dialog.messages.get", { DIALOG_ID: dialog, LIMIT: 2, ...params })).body.result as any)
        .messages as Array<{ id: number; params: unknown; uuid: unknown }>;
    const newest = await page({});
    expect(newest.map((m) => m.id)).toEqual([ids[4], ids[3]]);
    expect(newest[0]!.params).toEqual({ REPLY_ID: ids[0] });
    expect(newest[1]!.params).toEqual([]);
    expect(newest[1]!.uuid).toEqual(expect.any(String));
    expect((await page({ LAST_ID: ids[3] })).map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect((await page({ FIRST_ID: ids[0] })).map((m) => m.id)).toEqual([ids[2], ids[1]]);
  });

  it("imbot.message.add: BOT_ID defaults to the app's first bot; its errors", async () => {
    const r = await asApp("imbot.message.add", { DIALOG_ID: String(user2), MESSAGE: "Notice" });
    expect(r.status).toBe(200);
    const dialog = await control(emu).send(
      "GET",
      `portals/${memberId}/chat/${botId}/messages?userId=${user2}`,
    );
    expect(dialog.body.messages.at(-1)).toMatchObject({ id: r.body.result, authorId: botId, text: "Notice" });
    expectError(
      await asApp("imbot.message.add", { MESSAGE: "x" }),
      400,
      "DIALOG_ID_EMPTY",
      "Dialog ID can't be empty",
    );
    expectError(
      await asApp("imbot.message.add", { DIALOG_ID: String(user2), MESSAGE: "   " }),
      400,
      "MESSAGE_EMPTY",
      "Message can't be empty",
    );
    expectError(
      await asApp("imbot.message.add", {
        DIALOG_ID: String(user2),
        MESSAGE: "big",
        ATTACH: [{ MESSAGE: "x".repeat(31 * 1024) }],
      }),
      400,
      "ATTACH_OVERSIZE",
    );
    expectError(
      await asApp("imbot.message.add", {
        DIALOG_ID: String(user2),
        MESSAGE: "k",
        KEYBOARD: JSON.stringify({ BUTTONS: [{ TEXT: "y".repeat(31 * 1024) }] }),
      }),
      400,
      "KEYBOARD_OVERSIZE",
    );
    // Not JSON: not a keyboard at all.
    expectError(
      await asApp("imbot.message.add", { DIALOG_ID: String(user2), MESSAGE: "k", KEYBOARD: "y" }),
      400,
      "KEYBOARD_ERROR",
      "Incorrect keyboard params",
    );
    expectError(
      await asApp("imbot.message.add", { BOT_ID: 9999, DIALOG_ID: "1", MESSAGE: "x" }),
      400,
      "BOT_ID_ERROR",
    );
    // A small ATTACH is fine and kept with the message.
    const ok = await asApp("imbot.message.add", {
      DIALOG_ID: String(user2),
      MESSAGE: "with attach",
      ATTACH: [{ MESSAGE: "card" }],
    });
    expect(ok.status).toBe(200);
  });

  it("ONIMBOTJOINCHAT when a user opens the dialog or the bot joins a group chat", async () => {
    server.clear();
    const user3 = (await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Anna" })).body.user
      .ID;
    const opened = await control(emu).send("POST", `portals/${memberId}/chat/join`, { botId, userId: user3 });
    expect(opened.body).toMatchObject({ joined: true, dialogId: String(botId) });
    await idle();
    const join = server.of("ONIMBOTJOINCHAT");
    expect(join).toHaveLength(1);
    expect(join[0]!.body.data.PARAMS).toMatchObject({ DIALOG_ID: String(user3), USER_ID: String(user3) });
    expect(join[0]!.body.data.USER).toMatchObject({ ID: String(user3), FIRST_NAME: "Anna" });
    expect(join[0]!.body.data.BOT[String(botId)]).toMatchObject({ BOT_ID: String(botId), BOT_CODE: "echo" });
    // Opening it again is not a first contact.
    expect(
      (await control(emu).send("POST", `portals/${memberId}/chat/join`, { botId, userId: user3 })).body
        .joined,
    ).toBe(false);

    const created = await control(emu).send("POST", `portals/${memberId}/chats`, {
      title: "Sales",
      authorId: 1,
      userIds: [user2],
    });
    expect(created.status).toBe(201);
    const chatId = created.body.chatId as number;
    server.clear();
    const added = await control(emu).send("POST", `portals/${memberId}/chat/join`, { botId, chatId });
    expect(added.body).toMatchObject({ joined: true, dialogId: `chat${chatId}` });
    await idle();
    expect(server.of("ONIMBOTJOINCHAT")[0]?.body.data.PARAMS).toMatchObject({
      CHAT_TYPE: "C",
      MESSAGE_TYPE: "C",
      BOT_ID: String(botId),
      USER_ID: "1",
      CHAT_ID: String(chatId),
      DIALOG_ID: `chat${chatId}`,
    });

    // In a group, a standard bot hears only messages that mention it.
    server.clear();
    replies.splice(0);
    await write(user2, `chat${chatId}`, "no mention here");
    await idle();
    expect(server.of("ONIMBOTMESSAGEADD")).toHaveLength(0);
    await write(user2, `chat${chatId}`, `[USER=${botId}]Echo Bot[/USER] what's new?`);
    await eventually(() => expect(replies).toHaveLength(1));
    await idle();
    const [event] = server.of("ONIMBOTMESSAGEADD");
    expect(event?.body.data.PARAMS).toMatchObject({
      MESSAGE: "what's new?",
      MESSAGE_ORIGINAL: `[USER=${botId}]Echo Bot[/USER] what's new?`,
      MESSAGE_TYPE: "C",
      CHAT_TYPE: "C",
      DIALOG_ID: `chat${chatId}`,
      CHAT_ID: String(chatId),
      CHAT_TITLE: "Sales",
      TO_USER_ID: String(botId),
      MENTIONED_LIST: { [String(botId)]: String(botId) },
    });
    const group = await control(emu).send(
      "GET",
      `portals/${memberId}/chat/chat${chatId}/messages?userId=${user2}`,
    );
    expect(group.body.messages.at(-1)).toMatchObject({ authorId: botId, text: "Echo: what's new?" });
  });

  it("delivers nothing while the app's installation is not finished", async () => {
    await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { installed: false });
    try {
      server.clear();
      const before = emu.world.deliveries.records.length;
      await write(user2, botId, "anyone there?");
      await idle();
      expect(server.received).toHaveLength(0);
      expect(emu.world.deliveries.records.length).toBe(before);
    } finally {
      await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { installed: true });
    }
  });

  it("webhook bots: registered with CLIENT_ID, events without tokens", async () => {
    const hookServer = await startBotServer();
    try {
      const reg = await call(hook, "imbot.register", {
        CLIENT_ID: "my-local-bot",
        CODE: "hooked",
        EVENT_HANDLER: hookServer.url,
        PROPERTIES: { NAME: "Hooked" },
      });
      expect(reg.status).toBe(200);
      const hookedId = reg.body.result as number;
      await write(user2, hookedId, "ping");
      await idle();
      const [event] = hookServer.of("ONIMBOTMESSAGEADD");
      expect(event?.body.data.BOT[String(hookedId)]).toMatchObject({
        BOT_ID: String(hookedId),
        BOT_CODE: "hooked",
      });
      expect(event?.body.data.BOT[String(hookedId)].access_token).toBeUndefined();
      expect(event?.body.auth.access_token).toBeUndefined();
      expect(event?.body.auth.member_id).toBe(memberId);
      // Replies need the same CLIENT_ID.
      expectError(
        await call(hook, "imbot.message.add", {
          BOT_ID: hookedId,
          DIALOG_ID: String(user2),
          MESSAGE: "pong",
        }),
        403,
        "ACCESS_DENIED",
      );
      const reply = await call(hook, "imbot.message.add", {
        CLIENT_ID: "my-local-bot",
        DIALOG_ID: String(user2),
        MESSAGE: "pong",
      });
      expect(reply.status).toBe(200);
      expect(
        (await call(hook, "imbot.unregister", { CLIENT_ID: "my-local-bot", BOT_ID: hookedId })).body.result,
      ).toBe(true);
      await idle();
      expect(hookServer.of("ONIMBOTDELETE")).toHaveLength(1);
    } finally {
      await hookServer.close();
    }
  });

  it("imbot.unregister sends ONIMBOTDELETE, removes the bot and, with the last one, the bindings", async () => {
    server.clear();
    expectError(await asApp("imbot.unregister", {}), 400, "BOT_ID_ERROR", "Bot not found");
    const r = await asApp("imbot.unregister", { BOT_ID: botId });
    expect(r.body.result).toBe(true);
    await idle();
    const [event] = server.of("ONIMBOTDELETE");
    expect(event?.body.data).toEqual({ BOT_ID: String(botId), BOT_CODE: "echo" });
    expect(event?.body.auth).toMatchObject({ user_id: "1", application_token: auth.application_token });
    expect(event?.body.event_handler_id).toMatch(/^\d+$/);
    // The bot is gone: its dialogs too, and writing to it fails.
    const gone = await write(user2, botId, "hello?");
    expect(gone.status).toBe(400);
    expect(gone.body.code).toBe("USER_NOT_FOUND");
    const installation = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(installation.body.events).toEqual([]);
    expectError(
      await asApp("imbot.message.add", { DIALOG_ID: String(user2), MESSAGE: "x" }),
      400,
      "BOT_ID_ERROR",
    );
  });
});

describe("chat bots with --state FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "b24kit-bots-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps bots, their bindings and dialogs across a restart", async () => {
    const stateFile = join(dir, "emulator.sqlite");
    const first = await testEmulator({ stateFile });
    const memberId = first.portals[0]!.memberId as string;
    const app = (await control(first).send("POST", "apps", { scopes: ["imbot", "im", "user"] })).body;
    const { auth } = (
      await control(first).send("POST", `portals/${memberId}/install`, { clientId: app.clientId })
    ).body;
    const id = (
      await call(auth.client_endpoint, "imbot.register", {
        auth: auth.access_token,
        CODE: "keeper",
        EVENT_HANDLER: "https://bot.example.test/events",
        PROPERTIES: { NAME: "Keeper" },
      })
    ).body.result as number;
    await call(auth.client_endpoint, "imbot.message.add", {
      auth: auth.access_token,
      DIALOG_ID: "1",
      MESSAGE: "kept",
    });
    const port = new URL(first.url).port;
    await first.close();

    const second = await testEmulator({ stateFile, port: Number(port) });
    try {
      expect((await control(second).send("GET", `portals/${memberId}/bots`)).body.bots).toEqual([
        expect.objectContaining({ id, code: "keeper" }),
      ]);
      const users = await call(auth.client_endpoint, "user.get", { auth: auth.access_token });
      expect((users.body.result as Array<{ ID: string }>).map((u) => u.ID)).not.toContain(String(id));
      const dialog = await control(second).send("GET", `portals/${memberId}/chat/${id}/messages?userId=1`);
      expect(dialog.body.messages).toEqual([expect.objectContaining({ authorId: id, text: "kept" })]);
      const installation = await control(second).send("GET", `portals/${memberId}/apps/${app.clientId}`);
      expect(installation.body.events).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});
