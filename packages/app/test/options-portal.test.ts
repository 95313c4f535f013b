import {
  appOptions,
  DEFAULT_OPTION_LIMIT_BYTES,
  InvalidOptionError,
  OptionTooLargeError,
  userOptions,
} from "@b24kit/app";
import {
  type AuthData,
  control,
  installApp,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import { B24Error, createB24Client, MemoryTokenStore, oauthAuth, tokensFromAuth } from "@b24kit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const emu = await testEmulator();
afterAll(() => emu.close());

let memberId: string;
let app: Awaited<ReturnType<typeof installApp>>;
let admin: ReturnType<typeof clientOf>;
let manager: ReturnType<typeof clientOf>;

function clientOf(auth: AuthData) {
  return createB24Client({
    auth: oauthAuth({
      memberId: auth.member_id,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      store: new MemoryTokenStore(tokensFromAuth(auth)),
    }),
  });
}

beforeAll(async () => {
  memberId = (await testPortal(emu)).memberId;
  app = await installApp(emu, memberId, { scopes: ["crm"] });
  admin = clientOf(app.auth);
  const { user } = await control(emu).addUser(memberId, { NAME: "Mia", ADMIN: false });
  manager = clientOf(await userToken(emu, memberId, app.clientId, user.ID));
});

const requests = async () => (await control(emu).stats(memberId)).total;

type Settings = {
  pipeline: { id: number; stages: string[]; extra: Record<string, never> };
  enabled: boolean;
  ratio: number;
  label: string;
  nothing: null;
};

describe("appOptions", () => {
  it("keeps typed JSON values exactly, empty objects and numbers included", async () => {
    const options = appOptions<Settings>(admin);
    expect(options.limitBytes).toBe(DEFAULT_OPTION_LIMIT_BYTES);
    await options.set("pipeline", { id: 7, stages: ["NEW", "WON"], extra: {} });
    await options.setMany({ enabled: false, ratio: 0.25, label: "Ünïcødé ✓", nothing: null });
    expect(await options.get("pipeline")).toEqual({ id: 7, stages: ["NEW", "WON"], extra: {} });
    expect(await options.get("enabled")).toBe(false);
    expect(await options.get("ratio")).toBe(0.25);
    expect(await options.get("label")).toBe("Ünïcødé ✓");
    expect(await options.get("nothing")).toBeNull();
    expect(await appOptions(admin).get("never-set")).toBeUndefined();
    expect(await options.getAll()).toEqual({
      pipeline: { id: 7, stages: ["NEW", "WON"], extra: {} },
      enabled: false,
      ratio: 0.25,
      label: "Ünïcødé ✓",
      nothing: null,
    });
    // Any user of the app reads them.
    expect(await appOptions<Settings>(manager).get("ratio")).toBe(0.25);
  });

  it("refuses a value over the limit before calling the portal", async () => {
    const options = appOptions(admin);
    const before = await requests();
    const big = "x".repeat(DEFAULT_OPTION_LIMIT_BYTES); // its JSON has two quotes more
    const error = await options.set("big", big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionTooLargeError);
    expect(error).toMatchObject({
      code: "OPTION_TOO_LARGE",
      status: 413,
      option: "big",
      sizeBytes: DEFAULT_OPTION_LIMIT_BYTES + 2,
      limitBytes: DEFAULT_OPTION_LIMIT_BYTES,
    });
    expect((error as Error).message).toContain("tenantKv");
    // One value too large: nothing of the set is written.
    await expect(options.setMany({ small: 1, big })).rejects.toBeInstanceOf(OptionTooLargeError);
    expect(await requests()).toBe(before);
    expect(await options.get("small")).toBeUndefined();
  });

  it("measures UTF-8 bytes of the JSON, to the byte", async () => {
    const options = appOptions(admin, { limitBytes: 12 });
    await options.set("fits", "ééééé"); // "ééééé" = 2 + 5 × 2 bytes = 12
    expect(await options.get("fits")).toBe("ééééé");
    await expect(options.set("over", "éééééa")).rejects.toMatchObject({ sizeBytes: 13, limitBytes: 12 });
    await expect(options.set("nested", { a: "ééé" })).rejects.toMatchObject({ sizeBytes: 14 });
  });

  it("refuses keys and values JSON cannot carry, before calling the portal", async () => {
    const options = appOptions(admin);
    const before = await requests();
    await expect(options.set("", 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(options.set("n", 10n as never)).rejects.toMatchObject({ code: "OPTION_INVALID" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(options.set("c", cyclic as never)).rejects.toMatchObject({ code: "OPTION_INVALID" });
    await options.setMany({});
    expect(await requests()).toBe(before);
    expect(() => appOptions(admin, { limitBytes: 0 })).toThrow(RangeError);
  });

  it("returns values other code stored as the portal gives them", async () => {
    await admin.call("app.option.set", { options: { legacy: "plain text, not JSON" } });
    expect(await appOptions(admin).get("legacy")).toBe("plain text, not JSON");
  });

  it("leaves the portal's refusal of a non-admin's write to the caller", async () => {
    const error = await appOptions(manager)
      .set("theme", "dark")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24Error);
    expect(error).toMatchObject({ code: "AccessException" });
  });
});

describe("userOptions", () => {
  it("keeps each user's options apart, under the same size guard", async () => {
    await userOptions<{ columns: string[] }>(admin).set("columns", ["TITLE", "STAGE_ID"]);
    await userOptions<{ columns: string[] }>(manager).set("columns", ["OPPORTUNITY"]);
    expect(await userOptions(admin).get("columns")).toEqual(["TITLE", "STAGE_ID"]);
    expect(await userOptions(manager).getAll()).toEqual({ columns: ["OPPORTUNITY"] });
    await expect(userOptions(manager, { limitBytes: 8 }).set("long", "123456789")).rejects.toMatchObject({
      code: "OPTION_TOO_LARGE",
    });
    await userOptions(manager, { limitBytes: 8 }).set("short", "12345"); // 7 bytes as JSON
    expect(await userOptions(manager).get("short")).toBe("12345");
  });
});
