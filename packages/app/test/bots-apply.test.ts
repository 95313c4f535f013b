import {
  type AppManifestInput,
  applyManifest,
  type HandlerUrls,
  handlerUrls,
  parseManifest,
} from "@b24kit/app";
import {
  control,
  type HandlerServer,
  handlerServer,
  installApp,
  testEmulator,
  testPortal,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appClient } from "./tenant-client.js";

// Bots in the manifest (docs/protocol.md §12.1): imbot.register on apply, idempotent, imbot.unregister for
// bots the manifest drops, refusals reported — against the emulator over HTTP.

const emu = await testEmulator();
let handler: HandlerServer;
let urls: HandlerUrls;
afterAll(async () => {
  await control(emu).eventsIdle();
  await handler?.close();
  await emu.close();
});
beforeAll(async () => {
  handler = await handlerServer();
  urls = handlerUrls(handler.url);
});

const INSIGHTS = {
  code: "insights",
  name: "Insights",
  lastName: "Bot",
  color: "AQUA",
  workPosition: "Answers about deals",
} as const;
const HELPER = { code: "helper", type: "S", name: "Helper" } as const;

const manifest = (bots: AppManifestInput["bots"], extra: Partial<AppManifestInput> = {}) =>
  parseManifest({ version: "1", scopes: ["imbot", "im", "user"], bots, ...extra });

interface BotView {
  id: number;
  code: string;
  type: string;
  openline: string;
  clientId: string;
  name: string;
  handlers: Record<string, string>;
}

async function portalWithApp(scopes = ["imbot", "im", "user"], modules?: Parameters<typeof testPortal>[1]) {
  const portal = await testPortal(emu, modules);
  const app = await installApp(emu, portal.memberId, { scopes });
  return { memberId: portal.memberId, app, client: appClient(app.auth, app) };
}

const botsOf = async (memberId: string) =>
  (await control(emu).request<{ bots: BotView[] }>("GET", `portals/${memberId}/bots`)).bots;

const eventBindings = async (client: ReturnType<typeof appClient>) =>
  ((await client.call<Array<{ event: string; handler: string }>>("event.get")).result ?? [])
    .map((b) => `${b.event} ${b.handler}`)
    .sort();

describe("applyManifest registers the manifest's bots", () => {
  let tenant: Awaited<ReturnType<typeof portalWithApp>>;
  let first: Awaited<ReturnType<typeof applyManifest>>;

  beforeAll(async () => {
    tenant = await portalWithApp();
    first = await applyManifest(tenant.client, manifest([INSIGHTS, HELPER]), urls);
  });

  it("imbot.register with CODE, TYPE, PROPERTIES and the events URL as the one handler; ids in the report", async () => {
    expect(first.failed).toEqual([]);
    expect(first.bound).toEqual(expect.arrayContaining(["bot insights", "bot helper"]));
    const bots = await botsOf(tenant.memberId);
    expect(bots.map((b) => b.code).sort()).toEqual(["helper", "insights"]);
    const insights = bots.find((b) => b.code === "insights")!;
    const helper = bots.find((b) => b.code === "helper")!;
    expect(first.bots).toEqual({ insights: insights.id, helper: helper.id });
    expect(insights).toMatchObject({
      type: "B",
      openline: "N",
      clientId: tenant.app.clientId,
      name: "Insights Bot",
    });
    expect(helper).toMatchObject({ type: "S", name: "Helper" });
    // EVENT_HANDLER is copied to every handler the bot type takes (update/delete only for open lines).
    expect(insights.handlers).toMatchObject({
      EVENT_MESSAGE_ADD: urls.events,
      EVENT_WELCOME_MESSAGE: urls.events,
      EVENT_BOT_DELETE: urls.events,
    });
    expect(helper.handlers.EVENT_MESSAGE_ADD).toBe(urls.events);
    // The bot's profile is a portal user: PROPERTIES reached it.
    const user = (await tenant.client.call<Array<Record<string, string>>>("user.get", { ID: insights.id }))
      .result;
    expect(user).toEqual([]); // bots are not listed by user.get (§12.1)
    // imbot.register bound the bot events to the events URL, next to the lifecycle events.
    expect(await eventBindings(tenant.client)).toEqual(
      expect.arrayContaining([
        `ONIMBOTMESSAGEADD ${urls.events}`,
        `ONIMBOTJOINCHAT ${urls.events}`,
        `ONIMBOTDELETE ${urls.events}`,
        `ONAPPINSTALL ${urls.events}`,
      ]),
    );
  });

  it("applying again changes nothing: the same bots and ids, reported as kept, their event bindings left alone", async () => {
    const before = await eventBindings(tenant.client);
    const again = await applyManifest(tenant.client, manifest([INSIGHTS, HELPER]), urls, {
      previousBots: first.bots,
    });
    expect(again.failed).toEqual([]);
    expect(again.bound).toEqual([]);
    expect(again.unbound).toEqual([]);
    expect(again.kept).toEqual(expect.arrayContaining(["bot insights", "bot helper"]));
    expect(again.bots).toEqual(first.bots);
    expect((await botsOf(tenant.memberId)).length).toBe(2);
    expect(await eventBindings(tenant.client)).toEqual(before);
  });

  it("without the previous ids a re-apply still registers no second bot (the portal answers the existing CODE)", async () => {
    const again = await applyManifest(tenant.client, manifest([INSIGHTS, HELPER]), urls);
    expect(again.bots).toEqual(first.bots);
    expect(again.bound).toEqual(expect.arrayContaining(["bot insights", "bot helper"]));
    expect((await botsOf(tenant.memberId)).length).toBe(2);
  });

  it("a bot the manifest drops is unregistered (ONIMBOTDELETE sent); the others keep their bot events", async () => {
    const report = await applyManifest(tenant.client, manifest([INSIGHTS]), urls, {
      previousBots: first.bots,
    });
    expect(report.failed).toEqual([]);
    expect(report.unbound).toEqual(["bot helper"]);
    expect(report.kept).toContain("bot insights");
    expect(report.bots).toEqual({ insights: first.bots.insights });
    expect((await botsOf(tenant.memberId)).map((b) => b.code)).toEqual(["insights"]);
    await control(emu).eventsIdle();
    const deleted = handler.of("ONIMBOTDELETE").filter((r) => r.body.auth?.member_id === tenant.memberId);
    expect(deleted.map((r) => r.body.data)).toEqual([
      { BOT_ID: String(first.bots.helper), BOT_CODE: "helper" },
    ]);
    expect(await eventBindings(tenant.client)).toContain(`ONIMBOTMESSAGEADD ${urls.events}`);
  });

  it("dropping the last bot unregisters it, and with it go the bot event bindings; the lifecycle ones stay", async () => {
    const report = await applyManifest(tenant.client, manifest([]), urls, {
      previousBots: { insights: first.bots.insights! },
    });
    expect(report.unbound).toEqual(["bot insights"]);
    expect(report.bots).toEqual({});
    expect(await botsOf(tenant.memberId)).toEqual([]);
    const bindings = await eventBindings(tenant.client);
    expect(bindings.filter((b) => b.startsWith("ONIMBOT"))).toEqual([]);
    expect(bindings).toContain(`ONAPPUNINSTALL ${urls.events}`);
  });

  it("a previous bot that is already gone counts as unbound, not as a failure", async () => {
    const report = await applyManifest(tenant.client, manifest([]), urls, {
      previousBots: { ghost: 999_999 },
    });
    expect(report.unbound).toEqual(["bot ghost"]);
    expect(report.failed).toEqual([]);
  });

  it("a manifest without bots and no previous ones makes no bot calls", async () => {
    await control(emu).resetStats(tenant.memberId);
    await applyManifest(tenant.client, parseManifest({ version: "1", scopes: ["user"] }), urls);
    const stats = await control(emu).stats(tenant.memberId);
    expect(Object.keys(stats.byMethod)).toContain("event.get");
    expect(Object.keys(stats.byMethod).filter((m) => m.startsWith("imbot"))).toEqual([]);
  });
});

describe("a portal that refuses bots: reported, never thrown", () => {
  it("the app lacks the imbot scope: each bot in failed, the events still applied", async () => {
    const { client } = await portalWithApp(["user"]);
    const report = await applyManifest(client, manifest([INSIGHTS, HELPER]), urls);
    expect(report.failed.map((f) => [f.binding, f.code])).toEqual([
      ["bot insights", "insufficient_scope"],
      ["bot helper", "insufficient_scope"],
    ]);
    expect(report.bots).toEqual({});
    expect(report.bound).toContain("event ONAPPINSTALL");
  });

  it("the messenger is switched off on the portal", async () => {
    const { client } = await portalWithApp(["imbot", "im", "user"], { modules: ["crm"] });
    const report = await applyManifest(client, manifest([INSIGHTS]), urls);
    expect(report.failed.map((f) => [f.binding, f.code])).toEqual([
      ["bot insights", "ERROR_METHOD_NOT_FOUND"],
    ]);
    expect(report.bots).toEqual({});
  });

  it("over the 5-bot limit: the extra bot fails, the others are registered", async () => {
    const { memberId, client } = await portalWithApp();
    const six = Array.from({ length: 6 }, (_, i) => ({ code: `bot${i}`, name: `Bot ${i}` }));
    // The manifest refuses six bots itself; two applies with different sets reach the portal's limit.
    await applyManifest(client, manifest(six.slice(0, 5)), urls);
    const report = await applyManifest(client, manifest(six.slice(1, 6)), urls);
    expect(report.failed.map((f) => [f.binding, f.code])).toEqual([["bot bot5", "MAX_COUNT_ERROR"]]);
    expect(Object.keys(report.bots).sort()).toEqual(["bot1", "bot2", "bot3", "bot4"]);
    expect((await botsOf(memberId)).length).toBe(5);
  });

  it("the stale bot is unregistered first, so its replacement fits under the limit", async () => {
    const { memberId, client } = await portalWithApp();
    const five = Array.from({ length: 5 }, (_, i) => ({ code: `bot${i}`, name: `Bot ${i}` }));
    const first = await applyManifest(client, manifest(five), urls);
    const next = [...five.slice(1), { code: "bot5", name: "Bot 5" }];
    const report = await applyManifest(client, manifest(next), urls, { previousBots: first.bots });
    expect(report.failed).toEqual([]);
    expect(report.unbound).toEqual(["bot bot0"]);
    expect(report.bound).toEqual(["bot bot5"]);
    expect((await botsOf(memberId)).map((b) => b.code).sort()).toEqual([
      "bot1",
      "bot2",
      "bot3",
      "bot4",
      "bot5",
    ]);
  });
});

describe("the manifest's bots are validated", () => {
  const problems = (input: Partial<AppManifestInput>) => {
    try {
      parseManifest({ version: "1", scopes: ["imbot"], ...input });
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };

  it("defaults to none, and takes only what imbot.register takes", () => {
    expect(parseManifest({ version: "1", scopes: ["user"] }).bots).toEqual([]);
    expect(manifest([{ code: "a", name: " Ann ", type: "O", openline: true }]).bots).toEqual([
      { code: "a", api: "classic", name: "Ann", type: "O", openline: true },
    ]);
  });

  it("names each problem by its path", () => {
    expect(problems({ bots: [{ code: "a" } as never] })).toContain("bots.0.name: a bot needs a name");
    expect(problems({ bots: [{ code: "a", name: "  " }] })).toContain("bots.0.name: a bot needs a name");
    expect(problems({ bots: [{ code: "a b", name: "A" }] })).toContain("bots.0.code: a bot code is letters");
    expect(problems({ bots: [{ code: "a", name: "A", type: "X" as never }] })).toContain(
      "bots.0.type: a bot type is B, S, O or H (classic) or bot, supervisor, personal or openline (v2)",
    );
    expect(problems({ bots: [{ code: "a", name: "A", type: "supervisor" }] })).toContain(
      "bots.0.type: a classic bot's type is B, S, O or H",
    );
    expect(problems({ bots: [{ code: "a", name: "A", api: "v2", type: "S" }] })).toContain(
      "bots.0.type: a v2 bot's type is bot, supervisor, personal or openline",
    );
    expect(problems({ bots: [{ code: "a", name: "A", color: "BLUE" as never }] })).toContain(
      "bots.0.color: a bot colour is one of RED, GREEN",
    );
  });

  it("refuses a code declared twice, more than five bots, and bots without the imbot scope", () => {
    expect(
      problems({
        bots: [
          { code: "a", name: "A" },
          { code: "a", name: "B" },
        ],
      }),
    ).toContain("bots.1.code: bot a is declared twice");
    expect(problems({ bots: Array.from({ length: 6 }, (_, i) => ({ code: `b${i}`, name: "B" })) })).toContain(
      "bots: an app can register at most 5 classic bots on a portal",
    );
    expect(problems({ scopes: ["user"], bots: [{ code: "a", name: "A" }] })).toBe(
      "Invalid app manifest: bots need the imbot scope in scopes",
    );
  });
});
