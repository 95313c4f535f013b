import type { EmulatorHandle } from "@b24kit/emulator";
import { control, type HandlerServer, handlerServer, testEmulator } from "@b24kit/emulator/testing";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTestApp } from "./event-handlers.js";
import { appCall, call } from "./helpers.js";

// Details where a lenient emulator would let an app pass that then fails on a real portal.
describe("fidelity details", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let endpoint: string;
  let server: HandlerServer;

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    endpoint = emu.portals[0]!.clientEndpoint as string;
    await control(emu).send("PATCH", `portals/${memberId}`, {
      bucket: { burst: 100_000, drainPerSecond: 1000 },
    });
    server = await handlerServer({ delayMs: 5 });
  });
  afterAll(async () => {
    await server.close();
    await emu.close();
  });

  it("keeps the control API away from web pages and off the portals' hosts", async () => {
    const other = (await control(emu).send("POST", "portals", {})).body;
    const crossOrigin = await fetch(`${emu.controlUrl}portals/${memberId}/users`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example.test" },
      body: "NAME=Mallory&ADMIN=1",
    });
    expect(crossOrigin.status).toBe(403);
    const plain = await fetch(`${emu.controlUrl}portals/${memberId}/users`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: '{"NAME":"Mallory"}',
    });
    expect(plain.status).toBe(415);
    const onPortalHost = await fetch(`https://${other.domain}/_emulator/portals`);
    expect(onPortalHost.status).toBe(404);
    const users = (await control(emu).send("GET", `portals/${memberId}`)).body.users as Array<{
      NAME: string;
    }>;
    expect(users.some((u) => u.NAME === "Mallory")).toBe(false);
  });

  it("answers an unparsable body in the portal's error envelope", async () => {
    const res = await fetch(`${hook}profile`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "INVALID_REQUEST",
      error_description: "Request body is not valid JSON",
    });
  });

  it("compares date filters as instants, offsets included", async () => {
    const id = (await call(hook, "crm.deal.add", { fields: { TITLE: "dated" } })).body.result as number;
    const modified = (await call(hook, "crm.deal.get", { id })).body.result as { DATE_MODIFY: string };
    const at = Date.parse(modified.DATE_MODIFY);
    const iso = (ms: number, offsetHours: number) => {
      const local = new Date(ms + offsetHours * 3600_000).toISOString().slice(0, 19);
      return `${local}+${String(offsetHours).padStart(2, "0")}:00`;
    };
    const listed = async (filter: Record<string, unknown>) =>
      (
        (await call(hook, "crm.deal.list", { filter: { ID: id, ...filter }, select: ["ID"] })).body
          .result as unknown[]
      ).length;
    // One minute before, written in +03:00: a text comparison would get this wrong.
    expect(await listed({ ">DATE_MODIFY": iso(at - 60_000, 3) })).toBe(1);
    expect(await listed({ ">DATE_MODIFY": iso(at + 60_000, 3) })).toBe(0);
    expect(
      await listed({ "<=DATE_MODIFY": new Date(at + 1000).toISOString().slice(0, 19).replace("T", " ") }),
    ).toBe(1);
  });

  it("opens user.* to the narrower user_basic scope", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["user_basic"] });
    const me = await appCall(endpoint, app.token, "user.current");
    expect(me.status).toBe(200);
    expect((await appCall(endpoint, app.token, "method.get", { name: "user.get" })).body.result).toEqual({
      isExisting: true,
      isAvailable: true,
    });
  });

  it("refuses a nested batch written as batch.json with 405", async () => {
    const r = await call(hook, "batch", { cmd: { inner: "batch.json?cmd[x]=profile" } });
    expect((r.body.result as any).result_error.inner.error).toBe("ERROR_BATCH_METHOD_NOT_ALLOWED");
  });

  it("encodes event bodies as PHP does: + for spaces, booleans as 1/0, no nulls", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    await appCall(endpoint, app.token, "event.bind", { event: "ONAPPTEST", handler: `${server.url}test` });
    await appCall(endpoint, app.token, "event.test", {
      title: "two words",
      yes: true,
      no: false,
      gone: null,
    });
    await control(emu).eventsIdle();
    const raw = server.requests.find((r) => r.path === "/test")!.raw;
    expect(raw).toContain("data%5BQUERY%5D%5Btitle%5D=two+words");
    expect(raw).toContain("data%5BQUERY%5D%5Byes%5D=1");
    expect(raw).toContain("data%5BQUERY%5D%5Bno%5D=0");
    expect(raw).not.toContain("gone");
    expect((qs.parse(raw) as any).data.QUERY.title).toBe("two words");
  });

  it("makes the undocumented parts of event auth blocks settings (docs/protocol.md Appendix B.10)", async () => {
    await control(emu).send("PATCH", "settings", {
      eventAuthExtras: false,
      eventRefreshToken: "always",
      installScopeSeparator: " ",
    });
    try {
      const app = await installTestApp(emu, memberId, {
        scopes: ["crm", "user"],
        installHandlerUrl: `${server.url}installed`,
      });
      await appCall(endpoint, app.token, "event.bind", {
        event: "ONCRMDEALADD",
        handler: `${server.url}deal`,
      });
      await call(hook, "crm.deal.add", { fields: { TITLE: "settings" } });
      await control(emu).eventsIdle();
      const deal = qs.parse(server.requests.find((r) => r.path === "/deal")!.raw) as any;
      expect(deal.auth.refresh_token).toEqual(expect.any(String));
      expect(deal.auth.expires).toBeUndefined();
      expect(deal.auth.user_id).toBeUndefined();
      const installed = qs.parse(server.requests.find((r) => r.path === "/installed")!.raw) as any;
      expect(installed.auth.scope).toBe("crm user");
    } finally {
      await control(emu).send("PATCH", "settings", {
        eventAuthExtras: true,
        eventRefreshToken: "documented",
        installScopeSeparator: ",",
      });
    }
  });
});
