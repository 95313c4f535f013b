import type { AppManifestInput, BotCommandContext, BotJoinContext } from "@b24kit/app";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// The bot router on both bot APIs through the runtime (api-reference/chat-bots/chat-bots-v2/): the
// manifest registers a Chatbots 2.0 bot (webhook mode, the runtime's events URL) beside a classic one,
// a person writes to each in the emulator's messenger, and one set of handlers answers both — the v2
// bot through imbot.v2.Chat.Message.send, the classic one through imbot.message.add.
const emu = await testEmulator();
let h: Harness;
let memberId: string;
let userId: number;
const commands: BotCommandContext[] = [];
const joins: BotJoinContext[] = [];

const manifest = (version: string, bots: ManifestBotInput[]) => ({
  version,
  scopes: ["imbot", "im", "user"],
  bots,
});
type ManifestBotInput = NonNullable<AppManifestInput["bots"]>[number];
const V2: ManifestBotInput = { code: "helper_v2", api: "v2", name: "Helper", workPosition: "Answers /ping" };
const CLASSIC: ManifestBotInput = { code: "helper", name: "Helper (classic)" };

interface V2Bot {
  id: number;
  code: string;
  eventMode: string;
}
const v2Bots = async () =>
  (await h.app.forPortal(memberId).call<{ bots: V2Bot[] }>("imbot.v2.Bot.list")).result.bots;

const dialog = (dialogId: number) => control(emu).chatDialog(memberId, dialogId, userId);
const write = (dialogId: number, message: string) =>
  control(emu).chatWrite(memberId, { fromUserId: userId, dialogId, message });

beforeAll(async () => {
  memberId = (await testPortal(emu)).memberId;
  userId = (await control(emu).addUser(memberId, { NAME: "Svetlana", LAST_NAME: "Ivanova" })).user.ID;
  const set = {
    commands: {
      ping: (ctx: BotCommandContext) => {
        commands.push(ctx);
        return `pong from ${ctx.bot.api}`;
      },
    },
    join: (ctx: BotJoinContext) => {
      joins.push(ctx);
      return `Hello, ${ctx.user?.firstName ?? "there"}`;
    },
  };
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: manifest("1", [V2, CLASSIC]),
    queue: true,
    handlers: { bots: { helper_v2: set, helper: set } },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

describe("bots on Chatbots 2.0 through the runtime", () => {
  it("install registers the v2 bot in webhook mode at the events URL, beside the classic one", async () => {
    const bots = await v2Bots();
    const v2 = bots.find((b) => b.code === "helper_v2");
    expect(v2).toMatchObject({ code: "helper_v2", eventMode: "webhook" });
    const events = await h.app
      .forPortal(memberId)
      .call<Array<{ event: string; handler: string }>>("event.get");
    // The portal's own ONIMBOTV2* subscriptions point at the runtime, and applying left them there.
    const v2Events = events.result.filter((e) => e.event.startsWith("ONIMBOTV2"));
    expect(v2Events.length).toBe(8);
    expect(new Set(v2Events.map((e) => e.handler))).toEqual(new Set([`${h.publicUrl}b24/events`]));
  });

  it("one handler set answers the v2 bot and the classic bot, each through its own API", async () => {
    const v2Id = (await v2Bots()).find((b) => b.code === "helper_v2")!.id;
    await write(v2Id, "/ping");
    await waitFor(
      async () => (await dialog(v2Id)).some((m) => m.authorId === v2Id && m.text === "pong from v2"),
      {
        timeoutMs: 20_000,
      },
    );
    const v2Command = commands.find((c) => c.bot.code === "helper_v2")!;
    expect(v2Command).toMatchObject({
      event: "ONIMBOTV2MESSAGEADD",
      bot: { id: v2Id, code: "helper_v2", api: "v2" },
      command: "ping",
      dialogId: String(userId),
      fromUserId: userId,
    });
    expect(v2Command.user).toMatchObject({ id: userId, firstName: "Svetlana", isBot: false });
    expect(joins.find((j) => j.bot.code === "helper_v2")?.event).toBe("ONIMBOTV2JOINCHAT");
    expect((await dialog(v2Id)).map((m) => m.text)).toContain("Hello, Svetlana");

    // The classic bot's id, as the runtime recorded what it registered (routes/install-tenant.ts).
    const recorded = JSON.parse((await h.store.tenant(memberId).kv.get("b24kit:bots")) ?? "{}");
    const classicId = Number(recorded.helper);
    expect(classicId).toBeGreaterThan(0);
    expect(recorded.helper_v2).toBe(v2Id);
    await write(classicId, "/ping");
    await waitFor(
      async () =>
        (await dialog(classicId)).some((m) => m.authorId === classicId && m.text === "pong from classic"),
      { timeoutMs: 20_000 },
    );
  });

  it("the bot's tokens in data.bot.auth are dropped before a job is stored", async () => {
    const { withoutBotTokens } = await import("@b24kit/app");
    // What the ingress keeps of a v2 webhook's data (events.md, "Webhook Notification Structure").
    const data = {
      bot: { id: "7", code: "helper_v2", auth: { access_token: "a-secret", refresh_token: "r-secret" } },
      message: { id: "1", text: "/ping" },
      chat: { dialogId: "5" },
    };
    const kept = withoutBotTokens(data);
    expect(kept).toEqual({ bot: { id: "7", code: "helper_v2" }, message: data.message, chat: data.chat });
    expect(JSON.stringify(kept)).not.toContain("secret");
    expect(data.bot.auth.access_token).toBe("a-secret"); // the input is left as it was
  });

  it("a re-apply renames the v2 bot on the portal; a manifest without it unregisters it", async () => {
    const { applyManifest, handlerUrls, parseManifest } = await import("@b24kit/app");
    const client = h.app.forPortal(memberId);
    const urls = handlerUrls(h.publicUrl);
    const renamed = await applyManifest(
      client,
      parseManifest(manifest("2", [{ ...V2, name: "Helper Two" }, CLASSIC])),
      urls,
    );
    expect(renamed.kept).toContain("bot helper_v2");
    const v2Id = renamed.bots.helper_v2!;
    const got = await client.call<{ users?: Array<{ id: number; name: string }> }>("imbot.v2.Bot.get", {
      botId: v2Id,
    });
    expect(got.result.users?.find((u) => u.id === v2Id)?.name).toContain("Helper Two");

    const dropped = await applyManifest(client, parseManifest(manifest("3", [CLASSIC])), urls, {
      previousBots: renamed.bots,
    });
    expect(dropped.unbound).toEqual(["bot helper_v2"]);
    expect((await v2Bots()).map((b) => b.code)).not.toContain("helper_v2");
    expect(dropped.kept).toContain("bot helper");
  });
});
