import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, createLogger, storeFromUrl } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { sqliteStore } from "@b24kit/app/sqlite";
import {
  control,
  freePort,
  type PortalInfo,
  testEmulator,
  testPortal,
  waitFor,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b24kitCall } from "./call-helpers.js";

// `b24kit call --member-id M`: as the installed app, with the tokens the app runtime keeps in its
// database (sealed with its keys), against a real emulator. The app is installed on the emulator
// through the runtime's own install route, then stopped: the CLI only needs its database and env.

const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-call-app-"));
const dbFile = join(dir, "app.db");
let portal: PortalInfo;
let env: Record<string, string>;

beforeAll(async () => {
  portal = await testPortal(emu);
  await control(emu).seed(portal.memberId, { deals: 120 });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  const registered = await control(emu).registerApp({
    scopes: ["crm"],
    local: false,
    installHandlerUrl: `${publicUrl}b24/install`,
  });
  const keys = { k1: randomBytes(32).toString("base64") };
  const store = sqliteStore({ file: dbFile });
  const app = createApp({
    manifest: { version: "1", scopes: ["crm"] },
    config: {
      publicUrl,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      oauthServer: emu.authUrl,
      encryptionKeys: keys,
      encryptionKeyId: "k1",
      sessionSecret: randomBytes(32).toString("hex"),
    },
    store,
    logger: createLogger({ level: "silent" }),
  });
  await app.ready();
  const server = await serve(app, { port, logger: createLogger({ level: "silent" }) });
  await control(emu).install(portal.memberId, registered.clientId);
  await waitFor(async () => (await app.tenants.get(portal.memberId))?.state === "active");
  await server.close();
  await app.close();
  await store.close();
  env = {
    B24KIT_DATABASE_URL: `sqlite:${dbFile}`,
    B24KIT_CLIENT_ID: registered.clientId,
    B24KIT_CLIENT_SECRET: registered.clientSecret,
    B24KIT_ENCRYPTION_KEYS: `k1:${keys.k1}`,
    B24KIT_ENCRYPTION_KEY_ID: "k1",
  };
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The tokens sealed in the app's database (never printed; compared to what the CLI prints). */
async function storedTokens(): Promise<string[]> {
  const store = await storeFromUrl(`sqlite:${dbFile}`);
  try {
    const sealed = await store.tenant(portal.memberId).tokens.load();
    return [sealed!.sealedAccessToken, sealed!.sealedRefreshToken];
  } finally {
    await store.close();
  }
}

describe("b24kit call --member-id", () => {
  it("calls as the installed app with its stored tokens", async () => {
    const run = await b24kitCall(["app.info", "--member-id", portal.memberId], env);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({ CODE: env.B24KIT_CLIENT_ID, INSTALLED: true });
    expect(run.stdout).not.toContain(env.B24KIT_CLIENT_SECRET);
  });

  it("exports a list with --all as the app", async () => {
    const out = join(dir, "deals.jsonl");
    const run = await b24kitCall(
      [
        "crm.deal.list",
        "--all",
        "--quiet",
        "--out",
        out,
        "--member-id",
        portal.memberId,
        "--database",
        `sqlite:${dbFile}`,
      ],
      { ...env, B24KIT_DATABASE_URL: "" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const ids = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).ID);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("renews expired tokens through the OAuth server and saves them for the app", async () => {
    const before = await storedTokens();
    await control(emu).advanceClock(7200);
    const run = await b24kitCall(["crm.deal.list", "select[]=ID", "--member-id", portal.memberId], env);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(50);
    const after = await storedTokens();
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  it("says what is missing: the app's keys, an unknown portal", async () => {
    const noKeys = await b24kitCall(["profile", "--member-id", portal.memberId], {
      ...env,
      B24KIT_ENCRYPTION_KEYS: "",
    });
    expect(noKeys.status).not.toBe(0);
    expect(noKeys.stderr).toContain("B24KIT_ENCRYPTION_KEYS");
    const unknown = await b24kitCall(["profile", "--member-id", "0123456789abcdef0123456789abcdef"], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("no portal 0123456789abcdef0123456789abcdef in this database");
  });

  it("a portal error names the portal's code", async () => {
    // The app has the crm scope only.
    const run = await b24kitCall(["user.get", "--member-id", portal.memberId], env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^b24kit: user\.get: insufficient_scope \(HTTP 403\)/);
    expect(run.stderr).not.toContain(env.B24KIT_CLIENT_SECRET);
  });
});
