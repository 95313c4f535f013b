import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Every body of the control API is checked against its schema before anything changes (issue 16):
// a misspelt key or a value of the wrong kind answers 400 with one line naming the field, and a
// GET afterwards shows the emulator as it was.
const emu = await testEmulator();
afterAll(() => emu.close());
const api = control(emu);

type Answer = { status: number; body: Record<string, unknown> };

/** Sends each body; every one must be refused with a message naming its field. */
async function refused(method: string, path: string, cases: Array<[body: unknown, names: RegExp]>) {
  for (const [body, names] of cases) {
    const answer = (await api.send(method, path, body)) as Answer;
    const label = `${method} ${path} ${JSON.stringify(body)}`;
    expect(answer.status, label).toBe(400);
    expect(answer.body.error, label).toMatch(names);
    expect(String(answer.body.error), label).not.toContain("\n");
  }
}

const get = async (path: string) => (await api.send("GET", path)).body;

let memberId: string;
let clientId: string;
beforeAll(async () => {
  ({ memberId } = await testPortal(emu));
  ({ clientId } = await installApp(emu, memberId, { scopes: ["crm", "im", "placement"], local: false }));
});

describe("portals", () => {
  it("POST portals refuses an unknown plan, module, user field or key and creates no portal", async () => {
    const before = ((await get("portals")).portals as unknown[]).length;
    await refused("POST", "portals", [
      [{ plan: "gold" }, /^plan: .*"free"\|"basic"/],
      [{ modules: ["crm", "fax"] }, /^modules\.1: .*"crm"\|"tasks"/],
      [{ users: [{ NAME: 7 }] }, /^users\.0\.NAME: /],
      [{ users: [{ NAME: "A", ROLE: "x" }] }, /users\.0: unknown field ROLE \(known: ID, ACTIVE, NAME/],
      [{ colour: "red" }, /^unknown field colour \(known: plan, modules, users\)$/],
      [[1, 2], /^body: .*expected object/],
    ]);
    expect(((await get("portals")).portals as unknown[]).length).toBe(before);
  });

  it("PATCH portals/{m} checks the whole patch first: one bad field and nothing of it is applied", async () => {
    const before = await get(`portals/${memberId}`);
    await refused("PATCH", `portals/${memberId}`, [
      [{ plan: "free", modules: ["fax"] }, /^modules\.0: /],
      [{ plan: "free", bucket: { burst: 10 } }, /^bucket\.drainPerSecond: /],
      [
        { bucket: { burst: 10, drainPerSecond: 1, size: 3 } },
        /^bucket: unknown field size \(known: burst, drainPerSecond\)/,
      ],
      [
        { latency: { "crm.deal.list": { baseMs: -1 } } },
        /^latency\.crm\.deal\.list\.baseMs: a number from 0/,
      ],
      [{ features: { crm_automation: "yes" } }, /^features\.crm_automation: /],
      [{ operatingLimitSeconds: 0 }, /^operatingLimitSeconds: a number above 0/],
      [{ requestLatencyMs: "slow" }, /^requestLatencyMs: /],
      [{ plan: "free", uiUserId: 99 }, /^uiUserId: no user 99/],
    ]);
    expect(await get(`portals/${memberId}`)).toEqual(before);
  });

  it("routes without a body refuse one, and change nothing", async () => {
    const before = await get(`portals/${memberId}`);
    await refused("POST", `portals/${memberId}/domain`, [
      [{ domain: "x.test" }, /^unknown field domain \(it takes none\)/],
    ]);
    await refused("POST", `portals/${memberId}/limits/reset`, [[{ all: true }, /unknown field all/]]);
    expect((await get(`portals/${memberId}`)).domain).toBe(before.domain);
  });
});

describe("people", () => {
  it("POST users refuses wrong kinds of values and unknown fields; no user is added", async () => {
    const users = async () => ((await get(`portals/${memberId}`)).users as unknown[]).length;
    const before = await users();
    await refused("POST", `portals/${memberId}/users`, [
      [{ NAME: "X", ADMIN: "Y" }, /^ADMIN: .*expected boolean/],
      [{ NAME: "X", crmRights: { "2": "mine" } }, /^crmRights\.2: .*"all"\|"own"\|"none"/],
      [{ NAME: "X", crmRights: { deal: "own" } }, /^crmRights\.deal: an entity type id/],
      [{ NAME: "X", ID: 0 }, /^ID: a user id is 1 or more/],
      [{ NAMEE: "X" }, /^unknown field NAMEE \(known: ID, ACTIVE, NAME, .*webhookScopes\)/],
      [{ NAME: "X", webhookScopes: "crm" }, /^webhookScopes: /],
    ]);
    expect(await users()).toBe(before);
  });

  it("PATCH users/{id} refuses what is not a user's field, or another id; the user stays as they were", async () => {
    const admin = async () =>
      ((await get(`portals/${memberId}`)).users as Array<Record<string, unknown>>).find((u) => u.ID === 1);
    const before = await admin();
    await refused("PATCH", `portals/${memberId}/users/1`, [
      [{ ADMIN: "no" }, /^ADMIN: /],
      [{ NAME: "Renamed", ID: 5 }, /^ID: a user's id cannot change/],
      [{ NAME: "Renamed", isAdmin: false }, /^unknown field isAdmin/],
      [{ USER_TYPE: "guest" }, /^USER_TYPE: .*"employee"\|"extranet"/],
    ]);
    expect(await admin()).toEqual(before);
  });

  it("POST webhooks refuses a bad user id, scopes that are no list, a negative lifetime", async () => {
    await refused("POST", `portals/${memberId}/webhooks`, [
      [{ userId: "abc" }, /^userId: /],
      [{ userId: 42 }, /^userId: no user 42/],
      [{ scopes: "crm" }, /^scopes: a list of scope codes/],
      [{ expiresInSeconds: -5 }, /^expiresInSeconds: a whole number from 0/],
      [{ scope: ["crm"] }, /^unknown field scope \(known: userId, scopes, expiresInSeconds\)/],
    ]);
  });
});

describe("test data", () => {
  it("POST seed refuses counts that are not whole numbers and unknown entities; nothing is seeded", async () => {
    const deals = async () =>
      (await api.send("POST", `portals/${memberId}/automation`, { method: "crm.deal.list", params: {} })).body
        .total;
    const before = await deals();
    await refused("POST", `portals/${memberId}/seed`, [
      [{ deals: -1 }, /^deals: /],
      [{ deals: 2.5 }, /^deals: a whole number/],
      [{ deals: "many" }, /^deals: /],
      [{ deals: 5, orders: 5 }, /^unknown field orders \(known: deals, contacts, companies, leads\)/],
      [{ leads: 10_000_000 }, /^leads: at most 1000000/],
    ]);
    expect(await deals()).toBe(before);
  });

  it("POST faults refuses a fault that does nothing, a bad status or count, unknown keys; none is armed", async () => {
    await refused("POST", `portals/${memberId}/faults`, [
      [{ method: "crm.deal.list" }, /^a fault needs status\/error, latencyMs or drop$/],
      [{ method: "crm.deal.list", status: "boom" }, /^status: /],
      [{ method: "crm.deal.list", status: 42 }, /^status: /],
      [{ method: "crm.deal.list", error: "X", count: 0 }, /^count: 1 or more/],
      [{ method: "crm.deal.list", error: "X", retries: 3 }, /^unknown field retries/],
      [{ method: "crm.deal.list", drop: "yes" }, /^drop: /],
    ]);
    expect((await get(`portals/${memberId}`)).faults).toEqual([]);
  });
});

describe("apps and installations", () => {
  it("POST apps needs scopes, takes only URLs as URLs, refuses unknown keys; nothing is registered", async () => {
    const before = emu.world.apps.size;
    await refused("POST", "apps", [
      [{}, /^scopes: a list of scope codes or one comma-separated string/],
      [{ scopes: ["crm"], appUrl: "not a url" }, /^appUrl: an absolute http:\/\/ or https:\/\/ URL/],
      [{ scopes: ["crm"], installHandlerUrl: "ftp://x.test/" }, /^installHandlerUrl: /],
      [{ scopes: ["crm"], local: "no" }, /^local: .*expected boolean/],
      [{ scopes: ["crm"], version: 0 }, /^version: 1 or more/],
      [
        { scopes: ["crm"], appURL: "https://app.test/" },
        /^unknown field appURL \(known: scopes, name, code, appUrl/,
      ],
      [{ scopes: ["crm", "crmm"] }, /Unknown scope "crmm"/],
    ]);
    expect(emu.world.apps.size).toBe(before);
  });

  it("POST install needs a client id and a user id that is one", async () => {
    const other = await testPortal(emu);
    await refused("POST", `portals/${other.memberId}/install`, [
      [{}, /^clientId: /],
      [{ clientId: 5 }, /^clientId: /],
      [{ clientId, userId: "admin" }, /^userId: /],
      [{ clientId, user: 1 }, /^unknown field user \(known: clientId, userId\)/],
    ]);
    expect((await get(`portals/${other.memberId}/apps/${clientId}`)).installed).toBe(false);
  });

  it("PATCH, update and uninstall of an installation refuse bad values; the installation is unchanged", async () => {
    const path = `portals/${memberId}/apps/${clientId}`;
    const before = await get(path);
    await refused("PATCH", path, [
      [{ status: "X" }, /^status: .*"F"\|"D"\|"T"\|"P"\|"L"\|"S"/],
      [{ paymentRequired: "yes" }, /^paymentRequired: /],
      [{ installed: "true" }, /^installed: /],
      [{ state: "P" }, /^unknown field state \(known: paymentRequired, status, installed\)/],
    ]);
    await refused("POST", `${path}/update`, [
      [{ version: 0 }, /^version: 1 or more/],
      [{ version: "two" }, /^version: /],
      [{ userId: 77 }, /^userId: no user 77/],
      [{ to: 2 }, /^unknown field to/],
    ]);
    await refused("DELETE", path, [[{ clean: "perhaps" }, /^clean: true or false/]]);
    await refused("DELETE", `${path}?clean=perhaps`, [[undefined, /^clean: true or false/]]);
    await refused("POST", `${path}/install-finish`, [[{ now: true }, /^unknown field now/]]);
    expect(await get(path)).toEqual(before);
  });

  it("tokens, the app's page and placements refuse bad users, options and missing fields", async () => {
    await refused("POST", `portals/${memberId}/apps/${clientId}/tokens`, [
      [{ userId: 0 }, /^userId: a user id is 1 or more/],
      [{ user_id: 1 }, /^unknown field user_id \(known: userId\)/],
    ]);
    await refused("POST", `portals/${memberId}/apps/${clientId}/open`, [
      [{ options: "ID=1" }, /^options: a JSON object/],
      [{ userId: "x" }, /^userId: /],
    ]);
    await refused("POST", `portals/${memberId}/placements/open`, [
      [{ placement: "CRM_DEAL_DETAIL_TAB" }, /^clientId: /],
      [{ clientId }, /^placement: /],
      [{ clientId, placement: "CRM_DEAL_DETAIL_TAB", opts: { ID: 1 } }, /^unknown field opts/],
    ]);
  });

  it("automation needs a method and its params under params; nothing runs otherwise", async () => {
    const deals = async () =>
      (await api.send("POST", `portals/${memberId}/automation`, { method: "crm.deal.list" })).body.total;
    const before = await deals();
    await refused("POST", `portals/${memberId}/automation`, [
      [{}, /^method: a REST method name/],
      [{ method: "crm.deal.add", fields: { TITLE: "x" } }, /^unknown field fields \(known: method, params\)/],
      [{ method: "crm.deal.add", params: "TITLE=x" }, /^params: a JSON object/],
    ]);
    expect(await deals()).toBe(before);
  });
});

describe("the clock and the event queue", () => {
  it("POST clock refuses going back, words for numbers, unknown keys; the clock stays", async () => {
    const offset = async () => (await api.send("POST", "clock", {})).body.offsetSeconds;
    const before = await offset();
    await refused("POST", "clock", [
      [{ advanceSeconds: -1 }, /^advanceSeconds: a number from 0/],
      [{ advanceSeconds: "soon" }, /^advanceSeconds: /],
      [{ freeze: "yes" }, /^freeze: /],
      [{ advance: 60 }, /^unknown field advance \(known: advanceSeconds, freeze\)/],
    ]);
    expect(await offset()).toBe(before);
  });

  it("GET deliveries refuses a filter it does not know instead of listing everything", async () => {
    await refused("GET", `portals/${memberId}/deliveries?client=${clientId}`, [
      [undefined, /^unknown field client \(known: clientId, event\)/],
    ]);
  });

  it("POST events/idle takes no body", async () => {
    await refused("POST", "events/idle", [[{ timeoutMs: 5 }, /^unknown field timeoutMs \(it takes none\)/]]);
  });
});

describe("the messenger", () => {
  it("chats, messages and joins refuse bad ids and unknown fields; no dialog appears", async () => {
    const dialogs = async () => ((await get(`portals/${memberId}/chat/dialogs`)).dialogs as unknown[]).length;
    const before = await dialogs();
    await refused("POST", `portals/${memberId}/chats`, [
      [{ userIds: ["a"] }, /^userIds\.0: /],
      [{ title: "T", members: [1] }, /^unknown field members \(known: title, authorId, userIds\)/],
    ]);
    await refused("POST", `portals/${memberId}/chat/messages`, [
      [{ dialogId: "1", text: "hi" }, /^unknown field text \(known: fromUserId, dialogId, message/],
      [{ message: "hi" }, /^dialogId: a user id or chatN/],
      [{ dialogId: "1", message: "hi", fromUserId: -1 }, /^fromUserId: /],
    ]);
    await refused("POST", `portals/${memberId}/chat/join`, [
      [{ botId: 1 }, /^userId or chatId is required$/],
      [{ botId: 1, chatId: "room" }, /^chatId: a chat id: a number or chatN/],
    ]);
    await refused("GET", `portals/${memberId}/chat/dialogs?userId=abc`, [[undefined, /^userId: /]]);
    expect(await dialogs()).toBe(before);
  });
});
