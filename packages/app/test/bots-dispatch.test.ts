import {
  applyManifest,
  type BotCommandContext,
  type BotDeleteContext,
  type BotHandlers,
  type BotJoinContext,
  type BotMessageContext,
  dispatchBotEvent,
  type HandlerUrls,
  handlerUrls,
  parseBotEvent,
  parseCommand,
  parseManifest,
  withoutBotTokens,
} from "@b24kit/app";
import {
  type CapturedRequest,
  control,
  type HandlerServer,
  handlerServer,
  installApp,
  testEmulator,
  testPortal,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "../src/inbound/read-body.js";
import { appClient } from "./tenant-client.js";

// The bot router (docs/protocol.md §12.2–§12.3): a person writes to the bot through the emulator's
// messenger, the portal POSTs the bot events to a handler server, the captured bodies are read as the
// runtime reads them (inbound/read-body.ts) and handed to dispatchBotEvent, whose replies
// (imbot.message.add) must show in the dialog.

const emu = await testEmulator();
let handler: HandlerServer;
let urls: HandlerUrls;
let memberId: string;
let client: ReturnType<typeof appClient>;
let botId: number;
let helperId: number;
let userId: number;
let applied: Awaited<ReturnType<typeof applyManifest>>;

const seen = {
  commands: [] as BotCommandContext[],
  messages: [] as BotMessageContext[],
  joins: [] as BotJoinContext[],
  deletes: [] as BotDeleteContext[],
};

const handlers: BotHandlers = {
  insights: {
    commands: {
      help: (ctx) => {
        seen.commands.push(ctx);
        return "I know /help and /deal <id>";
      },
      "/Deal": async (ctx) => {
        seen.commands.push(ctx);
        const keyboard = [
          { TEXT: "Open deal", LINK: `https://example.com/crm/deal/details/${ctx.args[0]}/` },
        ];
        await ctx.reply(`Deal ${ctx.args[0]} (${ctx.argsText})`, { keyboard });
      },
    },
    message: (ctx) => {
      seen.messages.push(ctx);
      return `You said: ${ctx.text}`;
    },
    join: (ctx) => {
      seen.joins.push(ctx);
      return `Hello, ${ctx.user?.firstName ?? "there"}`;
    },
    delete: (ctx) => {
      seen.deletes.push(ctx);
    },
  },
};

const manifest = (codes: string[]) =>
  parseManifest({
    version: "1",
    scopes: ["imbot", "im", "user"],
    bots: codes.map((code) => ({ code, name: code === "insights" ? "Insights" : "Helper" })),
  });

beforeAll(async () => {
  handler = await handlerServer();
  urls = handlerUrls(handler.url);
  memberId = (await testPortal(emu)).memberId;
  const app = await installApp(emu, memberId, { scopes: ["imbot", "im", "user"] });
  client = appClient(app.auth, app);
  applied = await applyManifest(client, manifest(["insights", "helper"]), urls);
  botId = applied.bots.insights!;
  helperId = applied.bots.helper!;
  userId = (await control(emu).addUser(memberId, { NAME: "Svetlana", LAST_NAME: "Ivanova" })).user.ID;
});
afterAll(async () => {
  await control(emu).eventsIdle();
  await handler?.close();
  await emu.close();
});

/** A captured POST read exactly as the runtime reads inbound bodies. */
async function body(captured: CapturedRequest) {
  return readBody(
    new Request(`http://app.test${captured.path}`, {
      method: "POST",
      headers: { "content-type": String(captured.headers["content-type"] ?? "") },
      body: captured.raw,
    }),
    1024 * 1024,
  );
}

/** Runs something that makes the portal send bot events; dispatches each new one; returns the outcomes. */
async function deliver(act: () => Promise<unknown>) {
  const from = handler.requests.length;
  await act();
  await control(emu).eventsIdle();
  const out: Array<{ event: string; outcome: string; data: unknown }> = [];
  // The portal queues the join before the first message, but delivers them in parallel: dispatch in queue order.
  const arrived = handler.requests
    .slice(from)
    .sort((a, b) => Number(b.body.event === "ONIMBOTJOINCHAT") - Number(a.body.event === "ONIMBOTJOINCHAT"));
  for (const captured of arrived) {
    const form = await body(captured);
    const event = String(form.event);
    out.push({
      event,
      data: form.data,
      outcome: await dispatchBotEvent({ event, data: form.data, client, memberId }, handlers),
    });
  }
  return out;
}

const write = (dialogId: string | number, message: string, fromUserId = userId) =>
  deliver(() =>
    control(emu).request("POST", `portals/${memberId}/chat/messages`, { fromUserId, dialogId, message }),
  );

interface MessageView {
  id: number;
  authorId: number;
  text: string;
  params: Record<string, unknown>;
}

/** The dialog as `viewer` sees it, oldest first. */
const dialog = async (dialogId: string | number, viewer = userId) =>
  (
    await control(emu).request<{ messages: MessageView[] }>(
      "GET",
      `portals/${memberId}/chat/${dialogId}/messages?userId=${viewer}`,
    )
  ).messages;

const botLines = async (dialogId: string | number, bot = botId) =>
  (await dialog(dialogId)).filter((m) => m.authorId === bot).map((m) => m.text);

describe("dispatchBotEvent with the emulator's bot events", () => {
  it("the first message: ONIMBOTJOINCHAT goes to join, its string answer is the welcome in the dialog", async () => {
    const events = await write(botId, "hi there");
    expect(events.map((e) => [e.event, e.outcome])).toEqual([
      ["ONIMBOTJOINCHAT", "handled"],
      ["ONIMBOTMESSAGEADD", "handled"],
    ]);
    const join = seen.joins.at(-1)!;
    expect(join).toMatchObject({
      event: "ONIMBOTJOINCHAT",
      memberId,
      bot: { id: botId, code: "insights" },
      dialogId: String(userId),
      chatType: "P",
      userId,
      user: { id: userId, firstName: "Svetlana", lastName: "Ivanova", name: "Svetlana Ivanova" },
    });
    const message = seen.messages.at(-1)!;
    expect(message).toMatchObject({
      event: "ONIMBOTMESSAGEADD",
      text: "hi there",
      dialogId: String(userId),
      chatType: "P",
      fromUserId: userId,
      bot: { id: botId, code: "insights" },
      user: { id: userId, isBot: false },
    });
    expect(message.messageId).toBeGreaterThan(0);
    expect(await botLines(botId)).toEqual(["Hello, Svetlana", "You said: hi there"]);
  });

  it("/help goes to its command; the returned string is the reply", async () => {
    const events = await write(botId, "/help");
    expect(events.map((e) => [e.event, e.outcome])).toEqual([["ONIMBOTMESSAGEADD", "handled"]]);
    expect(seen.commands.at(-1)).toMatchObject({ command: "help", args: [], argsText: "", text: "/help" });
    expect((await botLines(botId)).at(-1)).toBe("I know /help and /deal <id>");
  });

  it("/deal 42 goes to the command declared as /Deal with its args; ctx.reply sends a keyboard", async () => {
    await write(botId, "/DEAL 42  won");
    expect(seen.commands.at(-1)).toMatchObject({ command: "deal", args: ["42", "won"], argsText: "42  won" });
    const last = (await dialog(botId)).at(-1)!;
    expect(last.authorId).toBe(botId);
    expect(last.text).toBe("Deal 42 (42  won)");
    expect(JSON.stringify(last.params.KEYBOARD)).toContain("https://example.com/crm/deal/details/42/");
  });

  it("an unknown command gets the default reply listing the commands", async () => {
    const [event] = await write(botId, "/forecast q3");
    expect(event?.outcome).toBe("handled");
    expect((await botLines(botId)).at(-1)).toBe("Unknown command /forecast. Commands: /help, /Deal");
  });

  it("plain text, and text that only looks like a command, go to message", async () => {
    await write(botId, "what about /usr/bin?");
    await write(botId, "/usr/bin");
    expect(seen.messages.slice(-2).map((m) => m.text)).toEqual(["what about /usr/bin?", "/usr/bin"]);
    expect((await botLines(botId)).slice(-2)).toEqual([
      "You said: what about /usr/bin?",
      "You said: /usr/bin",
    ]);
  });

  it("in a group chat: the join welcome and the replies go to chatN; a mention-stripped /help is a command", async () => {
    const joined = await deliver(() =>
      control(emu).request("POST", `portals/${memberId}/chats`, {
        authorId: userId,
        userIds: [botId],
        title: "Deals",
      }),
    );
    const join = joined.find((e) => e.event === "ONIMBOTJOINCHAT");
    expect(join?.outcome).toBe("handled");
    const dialogId = seen.joins.at(-1)!.dialogId;
    expect(dialogId).toMatch(/^chat\d+$/);
    expect(seen.joins.at(-1)!.chatType).toBe("C");
    await write(dialogId, `[USER=${botId}]Insights[/USER], /help`);
    expect(seen.commands.at(-1)).toMatchObject({ command: "help", dialogId, chatType: "C" });
    expect(await botLines(dialogId)).toEqual(["Hello, Svetlana", "I know /help and /deal <id>"]);
  });

  it("data[BOT] keyed by id (a JSON body) routes the same as the array qs makes of small ids", async () => {
    const [captured] = await write(botId, "keyed");
    const data = captured!.data as { BOT: unknown };
    // read-body's qs limits (arrayLimit 1000) turn data[BOT][<small id>] into a list: the block's BOT_ID counts.
    expect(Array.isArray(data.BOT)).toBe(true);
    const block = (data.BOT as Array<Record<string, unknown>>)[0]!;
    const keyed = { ...data, BOT: { [String(botId)]: { ...block, BOT_ID: botId } } };
    expect(
      await dispatchBotEvent({ event: "onimbotmessageadd", data: keyed, client, memberId }, handlers),
    ).toBe("handled");
    expect((await botLines(botId)).slice(-2)).toEqual(["You said: keyed", "You said: keyed"]);
  });

  it("withoutBotTokens leaves no token of the bot blocks, and the event still routes", async () => {
    const [captured] = await write(botId, "stored");
    const data = captured!.data as { BOT: Array<Record<string, unknown>> };
    const block = data.BOT[0]!;
    const secrets = [block.access_token, block.refresh_token, block.application_token].map(String);
    expect(secrets.every((s) => s.length >= 16)).toBe(true);
    const stored = withoutBotTokens(data);
    const json = JSON.stringify(stored);
    for (const secret of secrets) expect(json).not.toContain(secret);
    expect(stored.BOT).toEqual([
      expect.objectContaining({ BOT_ID: String(botId), BOT_CODE: "insights", member_id: memberId }),
    ]);
    expect(JSON.stringify(data)).toContain(secrets[0]); // the input is left as it was
    expect(
      await dispatchBotEvent(
        { event: "ONIMBOTMESSAGEADD", data: JSON.parse(json), client, memberId },
        handlers,
      ),
    ).toBe("handled");
    expect((await botLines(botId)).slice(-2)).toEqual(["You said: stored", "You said: stored"]);
    expect(withoutBotTokens({ BOT_ID: "1", BOT_CODE: "x" })).toEqual({ BOT_ID: "1", BOT_CODE: "x" });
  });

  it("a bot without a handler set is ignored (its events arrive all the same)", async () => {
    const events = await write(helperId, "hello helper");
    expect(events.map((e) => [e.event, e.outcome])).toEqual([
      ["ONIMBOTJOINCHAT", "ignored"],
      ["ONIMBOTMESSAGEADD", "ignored"],
    ]);
    expect(await botLines(helperId, helperId)).toEqual([]);
  });

  it("ONIMBOTDELETE goes to delete when the manifest drops the bot", async () => {
    const events = await deliver(() =>
      applyManifest(client, manifest(["helper"]), urls, { previousBots: applied.bots }),
    );
    expect(events.map((e) => [e.event, e.outcome])).toEqual([["ONIMBOTDELETE", "handled"]]);
    expect(seen.deletes).toHaveLength(1);
    expect(seen.deletes[0]).toMatchObject({
      event: "ONIMBOTDELETE",
      memberId,
      bot: { id: botId, code: "insights" },
    });
  });
});

describe("dispatchBotEvent ignores what is not for a bot handler, without calling the portal", () => {
  const PARAMS = { MESSAGE: "/help", DIALOG_ID: "5", FROM_USER_ID: "5", MESSAGE_ID: "9", CHAT_TYPE: "P" };
  const cases: Array<[string, string, unknown]> = [
    ["another event", "ONCRMDEALADD", { FIELDS: { ID: "1" } }],
    [
      "a bot event the router does not route",
      "ONIMBOTMESSAGEUPDATE",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } }, PARAMS },
    ],
    ["no data", "ONIMBOTMESSAGEADD", undefined],
    ["data as a string", "ONIMBOTMESSAGEADD", "data"],
    ["no BOT", "ONIMBOTMESSAGEADD", { PARAMS }],
    ["BOT as a string", "ONIMBOTMESSAGEADD", { BOT: "7", PARAMS }],
    ["a block without BOT_CODE", "ONIMBOTMESSAGEADD", { BOT: { 7: { BOT_ID: "7" } }, PARAMS }],
    ["a block without an id", "ONIMBOTMESSAGEADD", { BOT: [{ BOT_CODE: "insights" }], PARAMS }],
    ["no PARAMS", "ONIMBOTMESSAGEADD", { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } } }],
    [
      "no DIALOG_ID",
      "ONIMBOTJOINCHAT",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } }, PARAMS: { CHAT_TYPE: "P" } },
    ],
    [
      "DIALOG_ID as an object",
      "ONIMBOTMESSAGEADD",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } }, PARAMS: { ...PARAMS, DIALOG_ID: { a: "1" } } },
    ],
    [
      "a code no handler set has",
      "ONIMBOTMESSAGEADD",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "other" } }, PARAMS },
    ],
    [
      "a code that is an Object.prototype key",
      "ONIMBOTMESSAGEADD",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "toString" } }, PARAMS },
    ],
    [
      "a block of another portal",
      "ONIMBOTMESSAGEADD",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights", member_id: "someone-else" } }, PARAMS },
    ],
    [
      "the bot's own message",
      "ONIMBOTMESSAGEADD",
      { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } }, PARAMS: { ...PARAMS, FROM_USER_ID: "7" } },
    ],
    ["ONIMBOTDELETE without BOT_CODE", "ONIMBOTDELETE", { BOT_ID: "7" }],
  ];

  it.each(cases)("%s", async (_name, event, data) => {
    await control(emu).resetStats(memberId);
    await expect(dispatchBotEvent({ event, data, client, memberId }, handlers)).resolves.toBe("ignored");
    expect((await control(emu).stats(memberId)).total).toBe(0);
  });

  it("a handler set without the handler an event needs ignores it", async () => {
    const only = { insights: { join: () => "hi" } };
    const data = { BOT: { 7: { BOT_ID: "7", BOT_CODE: "insights" } }, PARAMS };
    await expect(
      dispatchBotEvent({ event: "ONIMBOTMESSAGEADD", data, client, memberId }, only),
    ).resolves.toBe("ignored");
    await expect(
      dispatchBotEvent(
        { event: "ONIMBOTDELETE", data: { BOT_ID: "7", BOT_CODE: "insights" }, client, memberId },
        only,
      ),
    ).resolves.toBe("ignored");
  });
});

describe("the pieces", () => {
  it("parseCommand: /name and the rest, split; paths and a lone slash are not commands", () => {
    expect(parseCommand("/deal 42 won")).toEqual({ name: "deal", args: ["42", "won"], argsText: "42 won" });
    expect(parseCommand(" , /HELP")).toEqual({ name: "help", args: [], argsText: "" });
    expect(parseCommand("/deal\n42")).toEqual({ name: "deal", args: ["42"], argsText: "42" });
    expect(parseCommand("/usr/bin")).toBeUndefined();
    expect(parseCommand("/")).toBeUndefined();
    expect(parseCommand("hello /help")).toBeUndefined();
  });

  it("parseBotEvent reads numbers as well as form strings, and ONIMBOTDELETE's flat data", () => {
    expect(
      parseBotEvent("ONIMBOTMESSAGEADD", {
        BOT: { 12: { BOT_ID: 12, BOT_CODE: "insights" } },
        PARAMS: { MESSAGE: "x", MESSAGE_ID: 3, DIALOG_ID: 5, FROM_USER_ID: 5, CHAT_TYPE: "P" },
        USER: { ID: 5, NAME: "A B", IS_BOT: "N" },
      }),
    ).toMatchObject({
      type: "message",
      bots: [{ id: 12, code: "insights" }],
      text: "x",
      messageId: 3,
      dialogId: "5",
      fromUserId: 5,
      user: { id: 5, name: "A B", isBot: false },
    });
    expect(parseBotEvent("ONIMBOTDELETE", { BOT_ID: "12", BOT_CODE: "insights" })).toEqual({
      type: "delete",
      bot: { id: 12, code: "insights" },
    });
  });
});
