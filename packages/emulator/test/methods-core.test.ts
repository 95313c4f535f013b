import type { EmulatorHandle } from "@b24kit/emulator";
import { control, installApp, testEmulator, testPortal, userToken } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type RestReply } from "./helpers.js";

// Non-CRM methods (docs/protocol.md §10, §11, §13.3–13.5) over HTTP, as an app and as webhooks.

const NO_LIMITS = { bucket: { burst: 100_000, drainPerSecond: 1_000 } };

describe("core methods: users, app.info, options, introspection, tasks, disk", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let app: { clientId: string; clientSecret: string };
  let auth: { access_token: string; client_endpoint: string };
  /** A non-admin employee and a webhook of theirs. */
  let user2: { ID: number };
  let hook2: string;

  /** Calls as the installed app (OAuth token of the admin unless another token is given). */
  const asApp = (method: string, params: Record<string, unknown> = {}, token = auth.access_token) =>
    call(auth.client_endpoint, method, { ...params, auth: token });

  /** An access token of `userId` for the app (§1.2–1.3). */
  async function tokenFor(userId: number): Promise<string> {
    const body = await userToken(emu, memberId, app.clientId, userId);
    expect(body.user_id).toBe(userId);
    return body.access_token;
  }

  const expectError = (r: RestReply, status: number, error: string, description: string) =>
    expect({ status: r.status, body: r.body }).toEqual({
      status,
      body: { error, error_description: description },
    });

  beforeAll(async () => {
    emu = await testEmulator();
    ({ memberId, adminWebhookUrl: hook } = await testPortal(emu));
    const installed = await installApp(emu, memberId, {
      scopes: ["crm", "user", "task", "disk"],
      appUrl: "https://app.example.test/",
    });
    app = installed;
    auth = installed.auth;
    const added = await control(emu).send("POST", `portals/${memberId}/users`, {
      ADMIN: false,
      NAME: "Ivan",
      LAST_NAME: "Petrov",
      EMAIL: "ivan.petrov@example.test",
      WORK_POSITION: "Sales manager",
      UF_DEPARTMENT: [7],
    });
    expect(added.status).toBe(201);
    user2 = added.body.user;
    hook2 = added.body.webhookUrl;
  });
  afterAll(() => emu.close());

  describe("users (§10.2, §13.4)", () => {
    it("user.current renders the caller with string ID and boolean ACTIVE", async () => {
      const r = await call(hook, "user.current");
      expect(r.status).toBe(200);
      const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      expect(r.body.result).toEqual({
        ID: "1",
        XML_ID: "",
        ACTIVE: true,
        NAME: "Admin",
        LAST_NAME: "Portal",
        SECOND_NAME: "",
        EMAIL: "user1@example.test",
        LAST_LOGIN: ISO,
        DATE_REGISTER: ISO,
        // user.current's example: a plain date-time, and neither TIMESTAMP_X nor USER_TYPE.
        LAST_ACTIVITY_DATE: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        TIME_ZONE: "",
        IS_ONLINE: "N",
        PERSONAL_GENDER: "",
        PERSONAL_WWW: "",
        PERSONAL_BIRTHDAY: "",
        PERSONAL_MOBILE: "",
        PERSONAL_CITY: "",
        WORK_PHONE: "",
        WORK_POSITION: "Administrator",
        UF_DEPARTMENT: [1],
        UF_EMPLOYMENT_DATE: "",
      });
      expect((await call(hook2, "user.current")).body.result).toMatchObject({
        ID: String(user2.ID),
        NAME: "Ivan",
      });
    });

    it("user.get filters by FILTER, by top-level keys, with LIKE patterns, and pages with total", async () => {
      const byId = await call(hook, "user.get", { FILTER: { ID: user2.ID } });
      expect(byId.status).toBe(200);
      expect(byId.body.total).toBe(1);
      expect(byId.body.next).toBeUndefined();
      expect((byId.body.result as any[]).map((u) => u.ID)).toEqual([String(user2.ID)]);

      const topLevel = await call(hook, "user.get", { UF_DEPARTMENT: 7 });
      expect((topLevel.body.result as any[]).map((u) => u.EMAIL)).toEqual(["ivan.petrov@example.test"]);

      const like = await call(hook, "user.get", { filter: { NAME: "Iv%" } });
      expect((like.body.result as any[]).map((u) => u.NAME)).toEqual(["Ivan"]);
      const notLike = await call(hook, "user.get", { filter: { "!%LAST_NAME": "petr" } });
      expect((notLike.body.result as any[]).map((u) => u.ID)).toEqual(["1"]);

      const all = await call(hook, "user.get", { sort: "ID", order: "DESC", FILTER: { ACTIVE: true } });
      expect(all.body.total).toBe(2);
      expect((all.body.result as any[]).map((u) => u.ID)).toEqual([String(user2.ID), "1"]);

      const selected = await call(hook, "user.get", { FILTER: { ID: 1 }, select: ["ID", "EMAIL"] });
      expect(selected.body.result).toEqual([{ ID: "1", EMAIL: "user1@example.test" }]);
    });

    it("user.search finds by FIND over personal data (api-reference/user/user-search.md)", async () => {
      const byLast = await call(hook, "user.search", { FILTER: { FIND: "petro" } });
      expect(byLast.body.total).toBe(1);
      expect((byLast.body.result as any[])[0]).toMatchObject({ ID: String(user2.ID), LAST_NAME: "Petrov" });
      const byPosition = await call(hook, "user.search", { FILTER: { FIND: "administr" } });
      expect((byPosition.body.result as any[]).map((u) => u.ID)).toEqual(["1"]);
      const none = await call(hook, "user.search", { FILTER: { FIND: "nobody" } });
      expect(none.body).toMatchObject({ result: [], total: 0 });
    });

    it("user.admin, user.access and profile answer for the caller", async () => {
      expect((await call(hook, "user.admin")).body.result).toBe(true);
      expect((await call(hook2, "user.admin")).body.result).toBe(false);

      const access = async (url: string, codes: string[]) =>
        (await call(url, "user.access", { ACCESS: codes })).body.result;
      expect(await access(hook2, [`U${user2.ID}`])).toBe(true);
      expect(await access(hook2, ["AU"])).toBe(true);
      expect(await access(hook2, ["G1", "U1"])).toBe(false);
      expect(await access(hook, ["U999"])).toBe(true); // admins: always true

      expect((await asApp("profile")).body.result).toEqual({
        ID: "1",
        ADMIN: true,
        NAME: "Admin",
        LAST_NAME: "Portal",
        PERSONAL_GENDER: "",
        TIME_ZONE: "",
      });
      expect((await call(hook2, "profile")).body.result).toMatchObject({
        ID: String(user2.ID),
        ADMIN: false,
      });
    });
  });

  describe("app.info (§10.1)", () => {
    it("refuses a webhook with 400 ACCESS_DENIED", async () => {
      expectError(
        await call(hook, "app.info"),
        400,
        "ACCESS_DENIED",
        "Access denied! Application context required",
      );
    });

    it("describes the calling app, its installation and the portal's plan", async () => {
      const r = await asApp("app.info");
      expect(r.status).toBe(200);
      expect(r.body.result).toEqual({
        ID: 1,
        CODE: app.clientId,
        VERSION: 1,
        STATUS: "L",
        INSTALLED: true,
        PAYMENT_EXPIRED: "N",
        DAYS: null,
        LANGUAGE_ID: "en",
        LICENSE: "en_pro100",
        LICENSE_TYPE: "pro100",
        LICENSE_FAMILY: "pro",
      });
    });
  });

  describe("app.option / user.option (§11)", () => {
    it("refuses webhooks with 400 AccessException (Application context required)", async () => {
      const r = await call(hook, "app.option.set", { options: { a: "1" } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: "AccessException", error_description: "Application context required" });
      expect((await call(hook, "user.option.get")).body.error).toBe("AccessException");
    });

    it("round-trips app options: all, one key, a missing key; empty options are refused", async () => {
      const empty = await asApp("app.option.get");
      expect(empty.status).toBe(200);
      expect(empty.body.result).toEqual([]); // empty map, PHP style

      expect(
        (await asApp("app.option.set", { options: { color: "red", limits: { max: 5 } } })).body.result,
      ).toBe(true);
      expect((await asApp("app.option.set", { options: { color: "blue" } })).body.result).toBe(true);
      expect((await asApp("app.option.get")).body.result).toEqual({ color: "blue", limits: { max: 5 } });
      expect((await asApp("app.option.get", { option: "limits" })).body.result).toEqual({ max: 5 });
      expect((await asApp("app.option.get", { option: "missing" })).body.result).toBeNull();

      expectError(await asApp("app.option.set", {}), 400, "ArgumentNullException", "options is empty");
      expectError(
        await asApp("app.option.set", { options: {} }),
        400,
        "ArgumentNullException",
        "options is empty",
      );
    });

    it("lets only administrators set app options; user options are per user", async () => {
      const token2 = await tokenFor(user2.ID);
      expectError(
        await asApp("app.option.set", { options: { color: "green" } }, token2),
        400,
        "AccessException",
        "Administrator authorization required",
      );
      expect((await asApp("app.option.get", { option: "color" }, token2)).body.result).toBe("blue");

      expect((await asApp("user.option.set", { options: { theme: "dark" } }, token2)).body.result).toBe(true);
      expect((await asApp("user.option.set", { options: { theme: "light" } })).body.result).toBe(true);
      expect((await asApp("user.option.get", {}, token2)).body.result).toEqual({ theme: "dark" });
      expect((await asApp("user.option.get", { option: "theme" })).body.result).toBe("light");
      expectError(
        await asApp("user.option.set", { options: [] }, token2),
        400,
        "ArgumentNullException",
        "options is empty",
      );
    });
  });

  describe("scope, methods, method.get, feature.get, server.time (§10.3)", () => {
    it("scope lists the app's scopes; full=true every scope the portal knows", async () => {
      expect((await asApp("scope")).body.result).toEqual(["crm", "user", "task", "disk"]);
      const full = (await asApp("scope", { full: true })).body.result as string[];
      expect(full).toEqual(expect.arrayContaining(["basic", "crm", "user", "task", "disk"]));
    });

    it("methods lists what the caller may call; scope= narrows; full=true lists everything", async () => {
      const narrowApp = (await control(emu).send("POST", "apps", { scopes: ["crm"] })).body;
      const narrow = (
        await control(emu).send("POST", `portals/${memberId}/install`, { clientId: narrowApp.clientId })
      ).body.auth;
      const mine = (await call(narrow.client_endpoint, "methods", { auth: narrow.access_token })).body.result;
      expect(mine).toEqual(expect.arrayContaining(["profile", "app.info", "batch"]));
      expect(mine).not.toContain("tasks.task.list");
      const full = (await call(narrow.client_endpoint, "methods", { auth: narrow.access_token, full: true }))
        .body.result;
      expect(full).toEqual(expect.arrayContaining(["tasks.task.list", "disk.file.get", "user.get"]));
      const task = (await asApp("methods", { scope: "task" })).body.result;
      // Every documented method of the scope, implemented here or not (the catalogue of real portals).
      expect(task).toEqual(
        expect.arrayContaining([
          "tasks.task.add",
          "tasks.task.get",
          "tasks.task.list",
          "task.checklistitem.add",
        ]),
      );
      expect(task.length).toBeGreaterThan(100);
      expect(task).not.toContain("crm.deal.list");

      // method.get: the method exists, but the app lacks the task scope.
      const r = await call(narrow.client_endpoint, "method.get", {
        auth: narrow.access_token,
        name: "tasks.task.list",
      });
      expect(r.body.result).toEqual({ isExisting: true, isAvailable: false });
      expect((await asApp("method.get", { name: "tasks.task.list" })).body.result).toEqual({
        isExisting: true,
        isAvailable: true,
      });
    });

    it("method.get: unknown or empty names, and methods of a switched-off module", async () => {
      expect((await asApp("method.get", { name: "" })).body.result).toEqual({
        isExisting: false,
        isAvailable: false,
      });
      expect((await asApp("method.get")).body.result).toEqual({ isExisting: false, isAvailable: false });
      expect((await asApp("method.get", { name: "no.such.method" })).body.result).toEqual({
        isExisting: false,
        isAvailable: false,
      });

      const p = (await control(emu).send("POST", "portals", { modules: ["crm"] })).body;
      await control(emu).send("PATCH", `portals/${p.memberId}`, NO_LIMITS);
      const get = async (name: string) => (await call(p.adminWebhookUrl, "method.get", { name })).body.result;
      expect(await get("tasks.task.list")).toEqual({ isExisting: false, isAvailable: false });
      expect(await get("disk.folder.getchildren")).toEqual({ isExisting: false, isAvailable: false });
      expect(await get("user.get")).toEqual({ isExisting: true, isAvailable: true });
      await control(emu).send("PATCH", `portals/${p.memberId}`, { modules: ["crm", "tasks"] });
      expect(await get("tasks.task.list")).toEqual({ isExisting: true, isAvailable: true });
    });

    it("feature.get answers per plan; CODE is required", async () => {
      expect((await asApp("feature.get", { CODE: "rest_auth_connector" })).body.result).toEqual({
        value: "Y",
      });
      expect((await asApp("feature.get", { CODE: "rest_offline_extended" })).body.result).toEqual({
        value: "Y",
      });
      expect((await asApp("feature.get", { CODE: "no_such_feature" })).body.result).toEqual({ value: "N" });
      expectError(await asApp("feature.get"), 400, "CODE_EMPTY", "CODE can't be empty");

      const standard = (await control(emu).send("POST", "portals", { plan: "standard" })).body;
      const r = await call(standard.adminWebhookUrl, "feature.get", { CODE: "rest_auth_connector" });
      expect(r.status).toBe(200);
      expect(r.body.result).toEqual({ value: "N" });
    });

    it("server.time is ISO-8601 with an offset and follows the emulator clock", async () => {
      const before = (await call(hook, "server.time")).body.result as string;
      expect(before).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      await control(emu).send("POST", "clock", { advanceSeconds: 600 });
      const after = (await call(hook, "server.time")).body.result as string;
      expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(600_000);
    });
  });

  describe("tasks.task.* (§13.3)", () => {
    it("tasks.task.add requires fields, TITLE and RESPONSIBLE_ID", async () => {
      expectError(
        await call(hook, "tasks.task.add", {}),
        400,
        "100",
        "Could not find value for parameter {fields} (internal error)",
      );
      expectError(
        await call(hook, "tasks.task.add", { fields: { DESCRIPTION: "no title" } }),
        400,
        "ERROR_CORE",
        "Task title is not specified<br>Responsible person not specified<br>",
      );
      expectError(
        await call(hook, "tasks.task.add", { fields: { TITLE: "x", RESPONSIBLE_ID: 999 } }),
        400,
        "ERROR_CORE",
        'The user specified in the "Responsible" field was not found<br>',
      );
    });

    it("adds, gets and updates a task in the camelCase string shape", async () => {
      const added = await asApp("tasks.task.add", {
        fields: { TITLE: "Call the client", RESPONSIBLE_ID: user2.ID, DEADLINE: "2030-01-31T18:00:00+00:00" },
      });
      expect(added.status).toBe(200);
      const task = (added.body.result as any).task;
      expect(task).toMatchObject({
        title: "Call the client",
        description: "",
        responsibleId: String(user2.ID),
        createdBy: "1",
        changedBy: "1",
        status: "2",
        priority: "1",
        groupId: "0",
        deadline: "2030-01-31T18:00:00+00:00",
        creator: {
          id: "1",
          name: "Admin Portal",
          link: "/company/personal/user/1/",
          workPosition: "Administrator",
        },
        responsible: {
          id: String(user2.ID),
          name: "Ivan Petrov",
          link: `/company/personal/user/${user2.ID}/`,
        },
      });
      expect(task.id).toMatch(/^\d+$/);
      expect(task.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

      const got = await asApp("tasks.task.get", { taskId: task.id });
      expect((got.body.result as any).task).toEqual(task);
      const selected = await asApp("tasks.task.get", { taskId: task.id, select: ["ID", "TITLE"] });
      // tasks.task.get answers favorite, group and action beside the selected fields (tasks-task-get.md).
      expect(selected.body.result).toEqual({
        task: { id: task.id, title: "Call the client", favorite: "N", group: [], action: task.action },
      });

      const updated = await asApp("tasks.task.update", {
        taskId: task.id,
        fields: { STATUS: 5, TITLE: "Called" },
      });
      expect((updated.body.result as any).task).toMatchObject({
        id: task.id,
        title: "Called",
        status: "5",
        closedBy: "1",
        statusChangedBy: "1",
      });
      expect((await asApp("tasks.task.get", { taskId: task.id })).body.result).toMatchObject({
        task: { title: "Called", status: "5" },
      });
    });

    it("answers unknown tasks as documented: get → 200 [], update → 400", async () => {
      const r = await asApp("tasks.task.get", { taskId: 987654 });
      expect(r.status).toBe(200);
      expect(r.body.result).toEqual([]);
      expectError(
        await asApp("tasks.task.get", {}),
        400,
        "100",
        "CTaskItem All parameters in the constructor must have real class type (internal error)",
      );
      expectError(await asApp("tasks.task.get", { taskId: "abc" }), 400, "0", "wrong task id");
      expectError(
        await asApp("tasks.task.update", { taskId: 987654, fields: { TITLE: "x" } }),
        400,
        "0",
        "Action on the task is not allowed (internal error)",
      );
    });

    it("lists 60 tasks in pages of 50 with total and next; filters with operators; admins see all", async () => {
      const cmd = (from: number, n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `t${from + i}`,
            `tasks.task.add?fields[TITLE]=Bulk%20${from + i}&fields[RESPONSIBLE_ID]=1&fields[PRIORITY]=${(from + i) % 3}`,
          ]),
        );
      for (const [from, n] of [
        [1, 50],
        [51, 10],
      ] as const) {
        const b = await call(hook, "batch", { cmd: cmd(from, n), halt: 1 });
        expect(b.body.result).toMatchObject({ result_error: [] });
      }
      const list = (params: Record<string, unknown>) => call(hook, "tasks.task.list", params);
      const first = await list({
        filter: { "%TITLE": "Bulk" },
        order: { ID: "asc" },
        select: ["ID", "TITLE"],
      });
      expect(first.status).toBe(200);
      expect(first.body.total).toBe(60);
      expect(first.body.next).toBe(50);
      const tasks = (first.body.result as any).tasks as any[];
      expect(tasks).toHaveLength(50);
      expect(tasks[0]).toEqual({ id: expect.any(String), title: "Bulk 1", group: [] });

      const second = await list({
        filter: { "%TITLE": "Bulk" },
        order: { ID: "asc" },
        start: 50,
        select: ["ID"],
      });
      expect((second.body.result as any).tasks).toHaveLength(10);
      expect(second.body.total).toBe(60);
      expect(second.body.next).toBeUndefined();

      const high = await list({
        filter: { "%TITLE": "Bulk", PRIORITY: 2, ">ID": tasks[0].id },
        select: ["ID"],
      });
      expect(high.body.total).toBe(20);
      const byDefault = await list({ filter: { TITLE: "Bulk%" }, select: ["ID", "TITLE"] });
      expect(((byDefault.body.result as any).tasks as any[])[0].title).toBe("Bulk 60"); // ID descending

      const noCount = await list({ filter: { "%TITLE": "Bulk" }, start: -1, select: ["ID"] });
      expect(noCount.body.total).toBe(0);
      expect(noCount.body.next).toBeUndefined();
      expect((noCount.body.result as any).tasks).toHaveLength(50);
    });

    it("shows non-admins only the tasks they take part in", async () => {
      const mine = await call(hook2, "tasks.task.list", { select: ["ID", "RESPONSIBLE_ID"] });
      const tasks = (mine.body.result as any).tasks as any[];
      expect(mine.body.total).toBe(1);
      expect(tasks[0]).toMatchObject({
        responsibleId: String(user2.ID),
        responsible: { id: String(user2.ID) },
      });
      const other = (await call(hook, "tasks.task.list", { filter: { TITLE: "Bulk 1" }, select: ["ID"] }))
        .body.result as any;
      const id = other.tasks[0].id;
      expect((await call(hook2, "tasks.task.get", { taskId: id })).body.result).toEqual([]);
    });
  });

  describe("disk (§13.5)", () => {
    it("lists the root folder's children: folders and files with download links", async () => {
      const r = await asApp("disk.folder.getchildren", { id: 1 });
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(3);
      const items = r.body.result as any[];
      expect(items.map((i) => [i.TYPE, i.NAME])).toEqual([
        ["folder", "Documents"],
        ["folder", "Reports"],
        ["file", "Welcome.txt"],
      ]);
      const folder = items[0];
      expect(Object.keys(folder)).toEqual([
        "ID",
        "NAME",
        "CODE",
        "STORAGE_ID",
        "TYPE",
        "REAL_OBJECT_ID",
        "PARENT_ID",
        "DELETED_TYPE",
        "CREATE_TIME",
        "UPDATE_TIME",
        "DELETE_TIME",
        "CREATED_BY",
        "UPDATED_BY",
        "DELETED_BY",
        "DETAIL_URL",
      ]);
      expect(folder).toMatchObject({
        ID: "2",
        PARENT_ID: "1",
        STORAGE_ID: "1",
        CREATED_BY: "1",
        DELETED_TYPE: "0",
      });
      const file = items[2];
      expect(file).toMatchObject({
        TYPE: "file",
        PARENT_ID: "1",
        STORAGE_ID: "1",
        GLOBAL_CONTENT_VERSION: "1",
        FILE_ID: expect.stringMatching(/^\d+$/),
        SIZE: expect.stringMatching(/^\d+$/),
        DELETE_TIME: null,
      });
      const domain = new URL(hook).host;
      expect(file.DOWNLOAD_URL).toMatch(
        new RegExp(
          `^https://${domain.replace(/[.]/g, "\\.")}/rest/download\\.json\\?auth=${auth.access_token}&token=disk%7C`,
        ),
      );
      expect(file.DETAIL_URL).toBe(`https://${domain}/docs/file/Welcome.txt`);

      const files = await asApp("disk.folder.getchildren", { id: 1, filter: { TYPE: "file" } });
      expect((files.body.result as any[]).map((i) => i.NAME)).toEqual(["Welcome.txt"]);
      const sub = await asApp("disk.folder.getchildren", { id: folder.ID });
      expect((sub.body.result as any[]).map((i) => [i.NAME, i.PARENT_ID])).toEqual([["Price list.csv", "2"]]);
    });

    it("disk.file.get returns the same object; unknown ids and folders are 400 ERROR_NOT_FOUND", async () => {
      const items = (await asApp("disk.folder.getchildren", { id: 1 })).body.result as any[];
      const file = items.find((i) => i.TYPE === "file");
      const got = await asApp("disk.file.get", { id: file.ID });
      expect(got.status).toBe(200);
      expect(got.body.result).toEqual(file);

      expectError(
        await asApp("disk.file.get", { id: 424242 }),
        400,
        "ERROR_NOT_FOUND",
        "Could not find entity with id `424242`",
      );
      expectError(
        await asApp("disk.file.get", { id: 2 }),
        400,
        "ERROR_NOT_FOUND",
        "Could not find entity with id `2`",
      );
      expectError(
        await asApp("disk.folder.getchildren", { id: file.ID }),
        400,
        "ERROR_NOT_FOUND",
        `Could not find entity with id \`${file.ID}\``,
      );
      expectError(
        await asApp("disk.file.get"),
        400,
        "ERROR_ARGUMENT",
        "Invalid value of parameter {Parameter #0}",
      );
    });
  });
});
