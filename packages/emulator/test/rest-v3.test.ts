import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { B24Hook } from "@bitrix24/b24jssdk";
import { afterAll, describe, expect, it } from "vitest";

// REST 3.0 (api-reference/rest-v3.md) and the tasks methods of api-reference/tasks/tasks-task-*-rest-v3.md.
const emu = await testEmulator();
afterAll(() => emu.close());

async function v3(
  base: string,
  method: string,
  body?: unknown,
  init: { headers?: Record<string, string>; method?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}${method}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...init.headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** A webhook's REST 3.0 base: `/rest/api/{user}/{code}/`. */
const apiBase = (webhookUrl: string) => webhookUrl.replace("/rest/", "/rest/api/");

describe("REST 3.0", () => {
  it("tasks.task.add/get/update/list/delete in their own shapes, related objects through select", async () => {
    const portal = await testPortal(emu);
    const base = apiBase(portal.adminWebhookUrl);
    const added = await v3(base, "tasks.task.add", {
      fields: { title: "Prepare a report", creatorId: 1, responsibleId: 1, priority: "high" },
    });
    expect(added.status).toBe(200);
    const item = added.body.result.item;
    // The basic set of tasks-task-add-rest-v3.md's example: ids of people come by `select`.
    expect(item).toMatchObject({ title: "Prepare a report", priority: "high", status: "pending" });
    expect(item).not.toHaveProperty("responsibleId");
    expect(typeof item.id).toBe("number");
    expect(added.body.time).toMatchObject({ start: expect.any(Number), operating: expect.any(Number) });

    const got = await v3(base, "tasks.task.get", {
      id: item.id,
      select: ["id", "title", "responsible.name", "responsible.email"],
    });
    expect(got.body.result.item).toEqual({
      id: item.id,
      title: "Prepare a report",
      responsible: { name: "Admin Portal", email: "user1@example.test" },
    });
    expect(
      (await v3(base, "tasks.task.update", { id: item.id, fields: { status: "in_progress" } })).body,
    ).toMatchObject({
      result: { result: true },
    });
    await v3(base, "tasks.task.add", { fields: { title: "Second", creatorId: 1, responsibleId: 1 } });
    const listed = await v3(base, "tasks.task.list", {
      select: ["id", "status", "responsibleId"],
      filter: [["id", "in", [item.id, 999999]]],
      order: { id: "DESC" },
    });
    expect(listed.body.result.items).toEqual([{ id: item.id, status: "in_progress", responsibleId: 1 }]);
    // Tasks filter by `id` only (tasks-task-list-rest-v3.md).
    const byStatus = await v3(base, "tasks.task.list", { filter: [["status", "=", "pending"]] });
    expect([byStatus.status, byStatus.body.error.code]).toEqual([
      400,
      "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
    ]);
    // Without select a list answers ids only.
    expect(
      (await v3(base, "tasks.task.list", {})).body.result.items.every(
        (t: object) => Object.keys(t).join() === "id",
      ),
    ).toBe(true);
    expect((await v3(base, "tasks.task.delete", { id: item.id })).body.result).toEqual({ result: true });
    expect((await v3(base, "tasks.task.get", { id: item.id })).body.error.code).toBe(
      "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
    );
  });

  it("takes JSON bodies only, never the query string, and answers errors in the v3 shape", async () => {
    const portal = await testPortal(emu);
    const base = apiBase(portal.adminWebhookUrl);
    const form = await fetch(`${base}tasks.task.get`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "id=1",
    });
    expect(form.status).toBe(400);
    expect(((await form.json()) as any).error.code).toBe("BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION");
    // GET …/tasks.task.get?id=51: the query is not read, so `id` is missing.
    const query = await v3(base, "tasks.task.get?id=51", undefined, { method: "GET" });
    expect(query.status).toBe(400);
    expect(query.body.error).toEqual({
      code: "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
      message: "Error validating request object",
      validation: [{ message: "Required field `id` is not specified", field: "id" }],
    });
    const scoped = await control(emu).addWebhook(portal.memberId, { scopes: ["crm"] });
    const denied = await v3(apiBase(scoped.url), "tasks.task.list", {});
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION");
    // A v3-only method called the classic way does not exist there (rest-v3.md, "How to call").
    const classic = await fetch(`${portal.adminWebhookUrl}tasks.task.access.get`, { method: "POST" });
    expect(classic.status).toBe(404);
    expect(((await classic.json()) as any).error).toBe("ERROR_METHOD_NOT_FOUND");
  });

  it("repeats a write with the same Idempotency-Key without running it twice", async () => {
    const portal = await testPortal(emu);
    const base = apiBase(portal.adminWebhookUrl);
    const body = { fields: { title: "Once", creatorId: 1, responsibleId: 1 } };
    const headers = { "idempotency-key": "9f1c1a7e-5f1b-4a1e-9a2c-2f5f2b6c7d80" };
    const first = await v3(base, "tasks.task.add", body, { headers });
    const again = await v3(base, "tasks.task.add", body, { headers });
    expect(again.body).toEqual(first.body);
    expect(first.headers.get("idempotency-key")).toBe(headers["idempotency-key"]);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const all = await v3(base, "tasks.task.list", { select: ["title"] });
    expect(all.body.result.items.filter((t: { title: string }) => t.title === "Once")).toHaveLength(1);
    const reused = await v3(
      base,
      "tasks.task.add",
      { fields: { ...body.fields, title: "Other" } },
      { headers },
    );
    expect([reused.status, reused.body.error.code]).toEqual([
      422,
      "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION",
    ]);
    const bad = await v3(base, "tasks.task.add", body, { headers: { "idempotency-key": "k".repeat(256) } });
    expect([bad.status, bad.body.error.code]).toEqual([
      400,
      "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION",
    ]);
  });

  it("documents its methods as OpenAPI (rest.documentation.openapi, alias documentation), GET or POST", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["task"] });
    const viaApp = await v3(`${app.auth.client_endpoint}api/`, "rest.documentation.openapi", {
      auth: app.auth.access_token,
    });
    expect(viaApp.body.result).toMatchObject({ openapi: "3.0.0", info: { title: "Bitrix24 REST V3 API" } });
    expect(Object.keys(viaApp.body.result.paths)).toEqual(
      expect.arrayContaining(["/tasks.task.get", "/tasks.task.add", "/tasks.task.list"]),
    );
    const alias = await v3(apiBase(portal.adminWebhookUrl), "documentation", undefined, { method: "GET" });
    expect(alias.body.result.paths).toEqual(viaApp.body.result.paths);
  });

  it("the official SDK's actions.v3 calls tasks methods against it, unmodified", async () => {
    const portal = await testPortal(emu);
    const b24 = B24Hook.fromWebhookUrl(portal.adminWebhookUrl);
    const added = await b24.actions.v3.call.make({
      method: "tasks.task.add",
      params: { fields: { title: "From the SDK", creatorId: 1, responsibleId: 1 } },
    });
    expect(added.isSuccess).toBe(true);
    const id = (added.getData() as any).result.item.id;
    const got = await b24.actions.v3.call.make({
      method: "tasks.task.get",
      params: { id, select: ["id", "title"] },
    });
    expect(got.isSuccess).toBe(true);
    expect((got.getData() as any).result.item).toEqual({ id, title: "From the SDK" });
    const missing = await b24.actions.v3.call
      .make({ method: "tasks.task.get", params: {} })
      .catch((e: unknown) => e);
    const code = missing instanceof Error ? (missing as any).code : (missing as any).getErrors?.()[0]?.code;
    expect(String(code ?? JSON.stringify(missing))).toContain("VALIDATION_REQUESTVALIDATIONEXCEPTION");
  });
});
