import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTestApp, type TestApp } from "./event-handlers.js";
import { appCall, call } from "./helpers.js";

describe("offline events (docs/protocol.md §7.6)", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let endpoint: string;
  let adminHook: string;
  const servers: HandlerServer[] = [];

  const addDeals = async (n: number): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await call(adminHook, "crm.deal.add", { fields: { TITLE: `Deal ${i}` } });
      ids.push(Number(res.body.result));
    }
    return ids;
  };
  const offlineApp = async (bindParams: Record<string, unknown> = {}): Promise<TestApp> => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const res = await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMDEALUPDATE",
      event_type: "offline",
      ...bindParams,
    });
    expect(res.body.result).toBe(true);
    return app;
  };
  const dealIds = (events: any[]) => events.map((e) => Number(e.EVENT_DATA.FIELDS.ID)).sort((a, b) => a - b);

  beforeAll(async () => {
    emu = await testEmulator();
    ({ memberId, clientEndpoint: endpoint, adminWebhookUrl: adminHook } = await testPortal(emu));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await emu.close();
  });

  it("keeps one row per changed object: 1,000 updates to 10 deals give exactly 10 rows; parallel readers get disjoint sets", async () => {
    const deals = await addDeals(10);
    const app = await offlineApp();
    for (let round = 0; round < 20; round++) {
      const cmd: Record<string, string> = {};
      for (let i = 0; i < 50; i++) {
        const id = deals[(round * 50 + i) % 10]!;
        cmd[`u${i}`] = `crm.deal.update?id=${id}&fields[TITLE]=T${round}-${i}`;
      }
      const batch = await call(adminHook, "batch", { halt: 0, cmd });
      expect(Object.keys(batch.body.result.result)).toHaveLength(50);
    }
    const list = await appCall(endpoint, app.token, "event.offline.list");
    expect(list.body.total).toBe(10);
    const rows = list.body.result as any[];
    expect(dealIds(rows)).toEqual([...deals].sort((a, b) => a - b));
    expect(Object.keys(rows[0])).toEqual([
      "ID",
      "TIMESTAMP_X",
      "EVENT_NAME",
      "EVENT_DATA",
      "EVENT_ADDITIONAL",
      "MESSAGE_ID",
      "PROCESS_ID",
      "ERROR",
    ]);
    expect(rows[0]).toMatchObject({ EVENT_NAME: "ONCRMDEALUPDATE", PROCESS_ID: "", ERROR: "0" });
    expect(rows[0].TIMESTAMP_X).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(new Set(rows.map((r) => r.MESSAGE_ID)).size).toBe(10);
    // MESSAGE_ID is a digit string, as in event-offline-list.md's example.
    expect(rows.every((r) => /^\d+$/.test(r.MESSAGE_ID))).toBe(true);

    const [a, b] = await Promise.all([
      appCall(endpoint, app.token, "event.offline.get", { clear: 0, limit: 5 }),
      appCall(endpoint, app.token, "event.offline.get", { clear: 0, limit: 5 }),
    ]);
    const pa = a.body.result;
    const pb = b.body.result;
    expect(pa.process_id).toMatch(/^[0-9a-f]{32}$/);
    expect(pb.process_id).toMatch(/^[0-9a-f]{32}$/);
    expect(pa.process_id).not.toBe(pb.process_id);
    expect(pa.events).toHaveLength(5);
    expect(pb.events).toHaveLength(5);
    const union = new Set([...dealIds(pa.events), ...dealIds(pb.events)]);
    expect(union.size).toBe(10);
    // get's rows carry no reservation columns (event-offline-get.md's example); list shows them.
    expect(Object.keys(pa.events[0])).toEqual([
      "ID",
      "TIMESTAMP_X",
      "EVENT_NAME",
      "EVENT_DATA",
      "EVENT_ADDITIONAL",
      "MESSAGE_ID",
    ]);
    const held = await appCall(endpoint, app.token, "event.offline.list", {
      filter: { PROCESS_ID: pa.process_id },
    });
    expect(held.body.result.map((e: any) => e.ID).sort()).toEqual(pa.events.map((e: any) => e.ID).sort());
    // Nothing is left for a third reader.
    expect(
      (await appCall(endpoint, app.token, "event.offline.get", { clear: 0 })).body.result.events,
    ).toEqual([]);

    // A process re-reads its own reservation.
    const again = await appCall(endpoint, app.token, "event.offline.get", {
      clear: 0,
      process_id: pa.process_id,
    });
    expect(dealIds(again.body.result.events)).toEqual(dealIds(pa.events));

    // A reserved row does not absorb new changes: the object gets a fresh row.
    const reservedDeal = dealIds(pa.events)[0]!;
    await call(adminHook, "crm.deal.update", { id: reservedDeal, fields: { TITLE: "again" } });
    expect((await appCall(endpoint, app.token, "event.offline.list")).body.total).toBe(11);

    // Clear part of A by message id, the rest of A and all of B by process.
    const first = pa.events[0];
    expect(
      (
        await appCall(endpoint, app.token, "event.offline.clear", {
          process_id: pa.process_id,
          message_id: [first.MESSAGE_ID],
        })
      ).body.result,
    ).toBe(true);
    expect((await appCall(endpoint, app.token, "event.offline.list")).body.total).toBe(10);
    await appCall(endpoint, app.token, "event.offline.clear", { process_id: pa.process_id });
    await appCall(endpoint, app.token, "event.offline.clear", { process_id: pb.process_id });
    const rest = await appCall(endpoint, app.token, "event.offline.list");
    expect(rest.body.total).toBe(1);
    expect(rest.body.result[0]).toMatchObject({
      PROCESS_ID: "",
      EVENT_DATA: { FIELDS: { ID: String(reservedDeal) } },
    });

    const noProcess = await appCall(endpoint, app.token, "event.offline.clear", {});
    expect([noProcess.status, noProcess.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
  });

  it("clear=1 (default) deletes what it returns; order, limit and filter apply", async () => {
    const deals = await addDeals(3);
    const app = await offlineApp();
    for (const id of deals) await call(adminHook, "crm.deal.update", { id, fields: { TITLE: "x" } });
    await control(emu).send("POST", "clock", { advanceSeconds: 5 });
    await call(adminHook, "crm.deal.update", { id: deals[0], fields: { TITLE: "latest" } });

    const list = (
      await appCall(endpoint, app.token, "event.offline.list", { order: { TIMESTAMP_X: "DESC" } })
    ).body.result as any[];
    expect(Number(list[0].EVENT_DATA.FIELDS.ID)).toBe(deals[0]);
    expect(list[0].TIMESTAMP_X > list[1].TIMESTAMP_X).toBe(true);

    const filtered = await appCall(endpoint, app.token, "event.offline.get", {
      filter: { "=MESSAGE_ID": list[1].MESSAGE_ID },
    });
    expect(filtered.body.result.process_id).toBeNull();
    expect(filtered.body.result.events.map((e: any) => e.MESSAGE_ID)).toEqual([list[1].MESSAGE_ID]);

    // Default order TIMESTAMP_X ASC: deal 0 changed last, so it comes last.
    const got = await appCall(endpoint, app.token, "event.offline.get", { limit: 1 });
    expect(got.body.result.events).toHaveLength(1);
    expect(Number(got.body.result.events[0].EVENT_DATA.FIELDS.ID)).not.toBe(deals[0]);
    const last = await appCall(endpoint, app.token, "event.offline.get");
    expect(dealIds(last.body.result.events)).toEqual([deals[0]]);
    expect((await appCall(endpoint, app.token, "event.offline.list")).body.total).toBe(0);
  });

  it("marks rows erroneous with event.offline.error; they come back only with error=1", async () => {
    const [deal] = await addDeals(1);
    const app = await offlineApp();
    await call(adminHook, "crm.deal.update", { id: deal, fields: { TITLE: "boom" } });
    const taken = (await appCall(endpoint, app.token, "event.offline.get", { clear: 0 })).body.result;
    expect(taken.events).toHaveLength(1);
    const marked = await appCall(endpoint, app.token, "event.offline.error", {
      process_id: taken.process_id,
      message_id: [taken.events[0].MESSAGE_ID],
    });
    expect(marked.body.result).toBe(true);
    expect((await appCall(endpoint, app.token, "event.offline.get")).body.result.events).toEqual([]);
    const errors = (await appCall(endpoint, app.token, "event.offline.list", { filter: { ERROR: 1 } })).body;
    expect(errors.total).toBe(1);
    const withErrors = await appCall(endpoint, app.token, "event.offline.get", { error: 1 });
    expect(withErrors.body.result.events).toHaveLength(1);
    expect(withErrors.body.result.events[0].ID).toBe(errors.result[0].ID);
  });

  it("does not queue writes made with the binding's own auth_connector (loop prevention)", async () => {
    const [deal] = await addDeals(1);
    const app = await offlineApp({ auth_connector: "my_sync" });
    // The app's own sync write: suppressed for its connector.
    await appCall(endpoint, app.token, "crm.deal.update", {
      id: deal,
      fields: { TITLE: "sync" },
      auth_connector: "my_sync",
    });
    expect(
      (await appCall(endpoint, app.token, "event.offline.list", { auth_connector: "my_sync" })).body.total,
    ).toBe(0);
    // Another connector's or a user's write is queued for it.
    await call(adminHook, "crm.deal.update", {
      id: deal,
      fields: { TITLE: "user" },
      auth_connector: "other",
    });
    const queued = await appCall(endpoint, app.token, "event.offline.get", { auth_connector: "my_sync" });
    expect(dealIds(queued.body.result.events)).toEqual([deal]);
    // The connector's queue is separate from the one without a connector.
    await call(adminHook, "crm.deal.update", { id: deal, fields: { TITLE: "user 2" } });
    expect((await appCall(endpoint, app.token, "event.offline.get")).body.result.events).toEqual([]);
    expect(
      (await appCall(endpoint, app.token, "event.offline.list", { auth_connector: "my_sync" })).body.total,
    ).toBe(1);
  });

  it("throttles ONOFFLINEEVENT notifications by options.minTimeout (refresh_token, empty data)", async () => {
    const server = await handlerServer({ delayMs: 10 });
    servers.push(server);
    const deals = await addDeals(5);
    const app = await offlineApp();
    const bound = await appCall(endpoint, app.token, "event.bind", {
      event: "ONOFFLINEEVENT",
      handler: `${server.url}offline`,
      options: { minTimeout: 60 },
    });
    expect(bound.body.result).toBe(true);

    for (const id of deals) await call(adminHook, "crm.deal.update", { id, fields: { TITLE: "n" } });
    await control(emu).eventsIdle();
    expect(server.of("ONOFFLINEEVENT")).toHaveLength(1);
    const body = server.of("ONOFFLINEEVENT")[0]!.body;
    expect(body.data).toBeUndefined();
    expect(body.event_handler_id).toMatch(/^\d+$/);
    expect(body.auth.refresh_token).toMatch(/^[0-9a-f]{70}$/);
    expect(body.auth.access_token).toMatch(/^[0-9a-f]{70}$/);
    expect(body.auth.application_token).toBe(app.applicationToken);

    // The pause ends by the emulator clock: the changes made during it are announced once.
    await control(emu).send("POST", "clock", { advanceSeconds: 61 });
    await control(emu).eventsIdle();
    expect(server.of("ONOFFLINEEVENT")).toHaveLength(2);
    await call(adminHook, "crm.deal.update", { id: deals[0], fields: { TITLE: "m" } });
    await control(emu).eventsIdle();
    expect(server.of("ONOFFLINEEVENT")).toHaveLength(2);
    await control(emu).send("POST", "clock", { advanceSeconds: 61 });
    await control(emu).eventsIdle();
    expect(server.of("ONOFFLINEEVENT")).toHaveLength(3);
    // Nothing new queued: no further notification.
    await control(emu).send("POST", "clock", { advanceSeconds: 61 });
    await control(emu).eventsIdle();
    expect(server.of("ONOFFLINEEVENT")).toHaveLength(3);
  });

  it("keeps queued rows, reservations and bindings across a restart with --state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "b24kit-offline-"));
    const stateFile = join(dir, "emulator.sqlite");
    try {
      const first = await testEmulator({ stateFile });
      const firstMember = first.portals[0]!.memberId as string;
      const hook = first.portals[0]!.adminWebhookUrl as string;
      const firstEndpoint = first.portals[0]!.clientEndpoint as string;
      const app = await installTestApp(first, firstMember, { scopes: ["crm"] });
      await appCall(firstEndpoint, app.token, "event.bind", { event: "ONCRMDEALADD", event_type: "offline" });
      for (const title of ["a", "b"]) await call(hook, "crm.deal.add", { fields: { TITLE: title } });
      const held = (await appCall(firstEndpoint, app.token, "event.offline.get", { clear: 0, limit: 1 })).body
        .result;
      const port = new URL(first.url).port;
      await first.close();

      const second = await testEmulator({ stateFile, port: Number(port) });
      try {
        const list = await appCall(firstEndpoint, app.token, "event.offline.list");
        expect(list.body.total).toBe(2);
        expect(list.body.result.map((r: any) => r.PROCESS_ID)).toEqual([held.process_id, ""]);
        await call(hook, "crm.deal.add", { fields: { TITLE: "c" } });
        const rows = (await appCall(firstEndpoint, app.token, "event.offline.list")).body.result as any[];
        expect(rows.map((r) => Number(r.ID))).toEqual([1, 2, 3]);
        // Binding ids keep counting after a restart.
        await appCall(firstEndpoint, app.token, "event.bind", {
          event: "ONCRMDEALUPDATE",
          event_type: "offline",
        });
        const ids = (
          await control(second).send("GET", `portals/${firstMember}/apps/${app.clientId}`)
        ).body.events.map((b: any) => b.id);
        expect(new Set(ids).size).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is admin-only, app-only, and reservation needs rest_offline_extended", async () => {
    const app = await offlineApp();
    const user = (await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Nia" })).body.user;
    const token = (await userToken(emu, memberId, app.clientId, user.ID)).access_token;
    for (const method of [
      "event.offline.get",
      "event.offline.list",
      "event.offline.clear",
      "event.offline.error",
    ]) {
      const res = await appCall(endpoint, token, method, { process_id: "x" });
      expect([method, res.status, res.body.error]).toEqual([method, 403, "ACCESS_DENIED"]);
    }
    const hook = await call(adminHook, "event.offline.get", {});
    expect([hook.status, hook.body.error]).toEqual([403, "WRONG_AUTH_TYPE"]);

    await control(emu).send("PATCH", `portals/${memberId}`, { features: { rest_offline_extended: false } });
    try {
      const reserve = await appCall(endpoint, app.token, "event.offline.get", { clear: 0 });
      expect([reserve.status, reserve.body.error]).toEqual([403, "WRONG_LICENSE"]);
      expect((await appCall(endpoint, app.token, "event.offline.get")).status).toBe(200);
    } finally {
      await control(emu).send("PATCH", `portals/${memberId}`, { features: { rest_offline_extended: true } });
    }
  });
});
