import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

describe("REST endpoint (docs/protocol.md §3)", () => {
  let emu: EmulatorHandle;
  let hook: string;
  let memberId: string;

  beforeAll(async () => {
    emu = await testEmulator();
    hook = emu.portals[0]!.adminWebhookUrl as string;
    memberId = emu.portals[0]!.memberId as string;
  });
  afterAll(() => emu.close());

  it("wraps results in the success envelope with every time field", async () => {
    const r = await call(hook, "profile");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("application/json");
    const time = r.body.time as Record<string, unknown>;
    for (const key of ["start", "finish", "duration", "processing", "operating", "operating_reset_at"]) {
      expect(typeof time[key]).toBe("number");
    }
    expect(time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(time.finish as number).toBeGreaterThanOrEqual(time.start as number);
  });

  it("reads parameters from JSON, form, multipart and the query string alike", async () => {
    const titles: string[] = [];
    const add = async (init: RequestInit, query = "") => {
      const res = await fetch(`${hook}crm.deal.add.json${query}`, { method: "POST", ...init });
      const body = (await res.json()) as { result: number };
      expect(res.status).toBe(200);
      return body.result;
    };
    const ids = [
      await add({
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fields: { TITLE: "json & co" } }),
      }),
      await add({
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "fields%5BTITLE%5D=form%20%26%20co&bx24_request_id=abc",
      }),
      await add({
        body: (() => {
          const f = new FormData();
          f.set("fields[TITLE]", "multipart & co");
          return f;
        })(),
      }),
      await add({}, "?fields[TITLE]=query%20%26%20co"),
    ];
    for (const id of ids) {
      const got = await call(hook, "crm.deal.get", { id });
      titles.push((got.body.result as any).TITLE);
    }
    expect(titles).toEqual(["json & co", "form & co", "multipart & co", "query & co"]);
  });

  it("matches method names case-insensitively, with or without .json", async () => {
    expect((await call(hook, "PROFILE.json")).status).toBe(200);
    expect((await call(hook, "Crm.Deal.List")).status).toBe(200);
  });

  it("answers an unknown method with 404 ERROR_METHOD_NOT_FOUND", async () => {
    const r = await call(hook, "crm.deal.nosuch");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" });
  });

  it("refuses missing or wrong credentials with 401", async () => {
    const endpoint = emu.portals[0]!.clientEndpoint as string;
    expect(await call(endpoint, "profile")).toMatchObject({ status: 401, body: { error: "NO_AUTH_FOUND" } });
    expect(await call(endpoint, "profile", { auth: "deadbeef" })).toMatchObject({
      status: 401,
      body: { error: "invalid_token" },
    });
    const badHook = hook.replace(/\/rest\/1\/[^/]+\//, "/rest/1/wrongcode123/");
    expect(await call(badHook, "profile")).toMatchObject({ status: 401, body: { error: "NO_AUTH_FOUND" } });
  });

  it("accepts the official OAuth client's double slash (/rest//method)", async () => {
    const app = (await control(emu).send("POST", "apps", { scopes: ["crm"] })).body;
    const { auth } = (
      await control(emu).send("POST", `portals/${memberId}/install`, { clientId: app.clientId })
    ).body;
    const res = await fetch(`${auth.client_endpoint}/profile`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth: auth.access_token }),
    });
    expect(res.status).toBe(200);
  });

  it("refuses a method outside the webhook's scopes with 403 insufficient_scope", async () => {
    const limited = (
      await control(emu).send("POST", `portals/${memberId}/webhooks`, { userId: 1, scopes: ["user"] })
    ).body;
    const r = await call(limited.url, "crm.deal.list");
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("insufficient_scope");
    expect(r.body.error_description).toContain("webhook");
    expect((await call(limited.url, "user.current")).status).toBe(200);
  });

  it("refuses app-context methods through a webhook with 403 WRONG_AUTH_TYPE", async () => {
    const r = await call(hook, "event.bind", {
      event: "ONCRMDEALADD",
      handler: "https://app.example.test/h",
    });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("WRONG_AUTH_TYPE");
  });

  it("refuses REST on the free plan and hides methods of a switched-off module", async () => {
    const free = (await control(emu).send("POST", "portals", { plan: "free" })).body;
    const r = await call(free.adminWebhookUrl, "profile");
    expect(r).toMatchObject({
      status: 403,
      body: { error: "ACCESS_DENIED", error_description: "REST API is available only on commercial plans" },
    });

    const p = (await control(emu).send("POST", "portals", { modules: ["crm"] })).body;
    expect((await call(p.adminWebhookUrl, "tasks.task.list")).status).toBe(404);
    expect((await call(p.adminWebhookUrl, "crm.deal.list")).status).toBe(200);
    await control(emu).send("PATCH", `portals/${p.memberId}`, { modules: [] });
    expect((await call(p.adminWebhookUrl, "crm.deal.list")).body.error).toBe("ERROR_METHOD_NOT_FOUND");
  });

  it("serialises empty maps as [] like PHP", async () => {
    const r = await call(hook, "batch", { cmd: { a: "profile" } });
    const res = r.body.result as Record<string, unknown>;
    expect(res.result_error).toEqual([]);
    expect(res.result_total).toEqual([]);
    expect(res.result_next).toEqual([]);
  });

  it("answers 302 to the new domain after a domain change, and the body can be re-posted there", async () => {
    const p = (await control(emu).send("POST", "portals", {})).body;
    const moved = (await control(emu).send("POST", `portals/${p.memberId}/domain`, {})).body;
    expect(moved.previousDomain).toBe(p.domain);
    const res = await fetch(`${p.adminWebhookUrl}crm.deal.add`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fields: { TITLE: "moved" } }),
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toBe(`${p.adminWebhookUrl.replace(p.domain, moved.domain)}crm.deal.add`);
    const reposted = await call(location.replace(/crm\.deal\.add$/, ""), "crm.deal.add", {
      fields: { TITLE: "moved" },
    });
    expect(reposted.status).toBe(200);
  });

  it("answers PORTAL_DELETED for a deleted portal", async () => {
    const p = (await control(emu).send("POST", "portals", {})).body;
    await control(emu).send("DELETE", `portals/${p.memberId}`);
    const r = await call(p.adminWebhookUrl, "profile");
    expect(r).toMatchObject({ status: 500, body: { error: "PORTAL_DELETED" } });
  });

  it("answers CORS preflight for frames calling from the app's origin", async () => {
    const res = await fetch(`${emu.portals[0]!.clientEndpoint}crm.deal.get`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.test",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    expect(res.headers.get("access-control-allow-headers")).toContain("content-type");
  });

  it("injects faults for the next N calls, then recovers", async () => {
    await control(emu).send("POST", `portals/${memberId}/faults`, {
      method: "crm.deal.list",
      count: 2,
      status: 500,
      error: "INTERNAL_SERVER_ERROR",
    });
    expect((await call(hook, "crm.deal.list")).status).toBe(500);
    expect((await call(hook, "profile")).status).toBe(200);
    expect((await call(hook, "crm.deal.list")).body.error).toBe("INTERNAL_SERVER_ERROR");
    expect((await call(hook, "crm.deal.list")).status).toBe(200);

    await control(emu).send("POST", `portals/${memberId}/faults`, { method: "profile", drop: true });
    await expect(call(hook, "profile")).rejects.toThrow();
    expect((await call(hook, "profile")).status).toBe(200);
  });

  it("counts requests, executed methods and errors in the stats", async () => {
    const p = (await control(emu).send("POST", "portals", {})).body;
    await call(p.adminWebhookUrl, "profile");
    await call(p.adminWebhookUrl, "batch", {
      cmd: { a: "crm.deal.list", b: "crm.deal.list", c: "nope.nope" },
    });
    await call(p.adminWebhookUrl, "nope.nope");
    const stats = (await control(emu).send("GET", `portals/${p.memberId}/stats`)).body;
    expect(stats.requests.total).toBe(3);
    expect(stats.requests.byMethod).toMatchObject({
      profile: 1,
      batch: 1,
      "crm.deal.list": 2,
      "nope.nope": 2,
    });
    expect(stats.requests.errors).toEqual({ ERROR_METHOD_NOT_FOUND: 2 });
  });
});
