import {
  CapabilityService,
  guardedCall,
  MissingCapabilityError,
  missingCapabilityFrom,
  parseManifest,
} from "@b24kit/app";
import {
  control,
  installApp,
  type PortalInput,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import { B24Error } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { useTempSqliteStore } from "./temp-store.js";
import { appClient } from "./tenant-client.js";

const emu = await testEmulator();
const temp = useTempSqliteStore("guarded");
afterAll(() => emu.close());

const NO_CRM: PortalInput["modules"] = ["tasks", "disk", "im", "telephony"];

const manifest = parseManifest({
  version: "1",
  scopes: ["crm", "user"],
  requires: { methods: ["crm.deal.list", "user.get"], features: [] },
  optional: { methods: ["app.option.set"], features: [] },
});

const clientOf = appClient;

/** A probed tenant: the portal, its client, a guarded client, and a counter of the HTTP requests since. */
async function probedTenant(portal: PortalInput, scopes = ["crm", "user"]) {
  const info = await testPortal(emu, portal);
  const app = await installApp(emu, info.memberId, { scopes });
  const client = clientOf(app.auth, app);
  const service = new CapabilityService(temp.store);
  await service.refresh(info.memberId, client, manifest);
  await control(emu).resetStats(info.memberId);
  return {
    memberId: info.memberId,
    app,
    client,
    service,
    guarded: guardedCall(service, info.memberId, client),
    requests: async () => (await control(emu).stats(info.memberId)).total,
  };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("guardedCall", () => {
  it("refuses a manifest method the portal lacks without calling it", async () => {
    const t = await probedTenant({ modules: NO_CRM });
    const error = await failure(t.guarded.call("crm.deal.list"));
    expect(error).toBeInstanceOf(MissingCapabilityError);
    expect(error).toMatchObject({
      code: "MISSING_CAPABILITY",
      status: 403,
      method: "crm.deal.list",
      reason: "module_off",
      module: "CRM",
      portalCode: undefined,
      userText: "This app needs CRM, which is not available in your Bitrix24.",
    });
    expect(await t.requests()).toBe(0);
    // Methods the portal has still go through.
    expect((await t.guarded.call<Record<string, unknown>[]>("user.get", { ID: 1 })).result[0]?.ID).toBe("1");
  });

  it("turns the portal's refusal of an undeclared method into MissingCapabilityError", async () => {
    const t = await probedTenant({ modules: NO_CRM });
    const error = await failure(t.guarded.call("crm.lead.list"));
    expect(error).toMatchObject({
      reason: "module_off",
      module: "CRM",
      portalCode: "ERROR_METHOD_NOT_FOUND",
    });
    const cause = (error as MissingCapabilityError).cause;
    expect(cause).toBeInstanceOf(B24Error);
    expect((cause as B24Error).status).toBe(404);
    expect(await t.requests()).toBe(1);
  });

  it("learns from a refusal: a module switched off after the probe is refused without a request next time", async () => {
    const t = await probedTenant({});
    expect(await t.service.can(t.memberId, "crm.deal.list")).toBe(true);
    await control(emu).updatePortal(t.memberId, { modules: NO_CRM });
    await expect(t.guarded.call("crm.deal.list")).rejects.toMatchObject({
      reason: "module_off",
      portalCode: "ERROR_METHOD_NOT_FOUND",
    });
    expect(await t.requests()).toBe(1);
    expect(await t.service.check(t.memberId, "crm.deal.list")).toMatchObject({
      ok: false,
      reason: "module_off",
    });
    await expect(t.guarded.call("crm.deal.list")).rejects.toMatchObject({
      reason: "module_off",
      portalCode: undefined,
    });
    expect(await t.requests()).toBe(1);
  });

  it("names the missing scope when the portal answers insufficient_scope", async () => {
    const t = await probedTenant({}, ["user"]);
    const error = await failure(t.guarded.call("crm.contact.list"));
    expect(error).toMatchObject({ reason: "scope_missing", scope: "crm", portalCode: "insufficient_scope" });
    expect((error as MissingCapabilityError).adminHint).toContain('permission "crm"');
    // Declared and known missing: refused before the request.
    await expect(t.guarded.call("crm.deal.list")).rejects.toMatchObject({
      reason: "scope_missing",
      scope: "crm",
    });
    expect(await t.requests()).toBe(1);
  });

  it("maps an administrator-only refusal for a non-admin user, without marking the portal", async () => {
    const t = await probedTenant({});
    const { user } = await control(emu).addUser(t.memberId, { NAME: "Mia", ADMIN: false });
    const mia = clientOf(await userToken(emu, t.memberId, t.app.clientId, user.ID), t.app);
    const guarded = guardedCall(t.service, t.memberId, mia);
    const error = await failure(guarded.call("app.option.set", { options: { a: "1" } }));
    expect(error).toMatchObject({ reason: "not_admin", portalCode: "AccessException" });
    expect((error as MissingCapabilityError).userText).toMatch(/administrator/);
    expect(await t.service.can(t.memberId, "app.option.set")).toBe(true);
    // The administrator still may.
    expect((await t.guarded.call("app.option.set", { options: { a: "1" } })).result).toBe(true);
  });

  it("passes other errors through unchanged", async () => {
    const t = await probedTenant({});
    const error = await failure(t.guarded.call("crm.deal.get", { id: 987654 }));
    expect(error).toBeInstanceOf(B24Error);
    expect((error as B24Error).status).toBe(400);
    expect(error).not.toBeInstanceOf(MissingCapabilityError);
  });

  it("refuses every call on a portal whose plan has no REST", async () => {
    const t = await probedTenant({ plan: "free" });
    await expect(t.guarded.call("profile")).rejects.toMatchObject({
      reason: "plan",
      code: "MISSING_CAPABILITY",
    });
    expect(await t.requests()).toBe(0);
  });

  it("lets the call go ahead when the capability record cannot be had", async () => {
    const t = await probedTenant({});
    const service = new CapabilityService(temp.store, {
      refresher: {
        manifest,
        clientFor: () => {
          throw new Error("no tokens for this tenant right now");
        },
      },
    });
    const guarded = guardedCall(service, "d".repeat(32), t.client);
    expect((await guarded.call<{ ID: string }>("profile")).result.ID).toBe("1");
  });

  it("guards list and fastList", async () => {
    const noCrm = await probedTenant({ modules: NO_CRM });
    const read = async (rows: AsyncIterable<unknown>) => {
      const out: unknown[] = [];
      for await (const row of rows) out.push(row);
      return out;
    };
    await expect(read(noCrm.guarded.list("crm.deal.list"))).rejects.toMatchObject({ reason: "module_off" });
    await expect(read(noCrm.guarded.fastList("crm.lead.list"))).rejects.toMatchObject({
      reason: "module_off",
      portalCode: "ERROR_METHOD_NOT_FOUND",
    });

    const crm = await probedTenant({});
    await control(emu).seed(crm.memberId, { deals: 3 });
    expect(await read(crm.guarded.fastList("crm.deal.list"))).toHaveLength(3);
    expect(await read(crm.guarded.list("crm.deal.list"))).toHaveLength(3);
  });

  it("maps batch command errors with missingCapabilityFrom", async () => {
    const t = await probedTenant({ modules: NO_CRM });
    const result = await t.client.batch({ deals: ["crm.deal.list"], me: ["profile"] });
    expect(missingCapabilityFrom(result.errors.deals)).toMatchObject({
      reason: "module_off",
      method: "crm.deal.list",
    });
    expect(missingCapabilityFrom(new Error("anything else"))).toBeUndefined();
  });
});
