import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type B24App,
  CONSOLE_AUDIT_KEY,
  configFromEnv,
  createApp,
  hashOperatorPassword,
  verifyOperatorPassword,
} from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { FakeClock } from "@b24kit/app/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The console's door, without a portal: off unless configured, scrypt passwords, the signed
// cookie and its attributes, refusals slowed, counted and audited, CSRF-safe actions.
// Near the real time: audit retention (real time) must not prune the lines this test writes.
const START = Math.floor(Date.now() / 1000) * 1000;
const PASSWORD = "correct horse battery staple";
let hash: string;
let clock: FakeClock;
let app: B24App;
const store = sqliteStore({ file: ":memory:" });

function config(overrides: Record<string, unknown> = {}) {
  return {
    appName: "Console test",
    publicUrl: "https://app.example.test/",
    clientId: "local.test",
    clientSecret: "CLIENT-SECRET-never-shown",
    encryptionKeys: { k1: randomBytes(32).toString("base64") },
    encryptionKeyId: "k1",
    sessionSecret: randomBytes(32).toString("hex"),
    metricsSampleSeconds: 0,
    ...overrides,
  };
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    origin: "https://app.example.test",
    ...headers,
  },
  body: new URLSearchParams(fields).toString(),
});

function cookieOf(response: Response): string {
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function signIn(target: B24App, address = "203.0.113.7"): Promise<{ cookie: string; csrf: string }> {
  const response = await target.fetch(
    new Request("https://app.example.test/console/login", form({ name: "alice", password: PASSWORD })),
    { clientAddress: address },
  );
  expect(response.status).toBe(303);
  const cookie = cookieOf(response);
  const page = await (await target.request("/console/", { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return { cookie, csrf };
}

beforeAll(async () => {
  hash = await hashOperatorPassword(PASSWORD);
  clock = new FakeClock(START);
  app = createApp({
    manifest: { version: "1", scopes: ["crm"] },
    config: config(),
    store,
    clock,
    console: { operators: [{ name: "alice", passwordHash: hash }], failureDelayMs: 5 },
  });
  await app.ready();
  await store.tenant("a".repeat(32)).put({
    domain: "acme.bitrix24.com",
    clientEndpoint: "https://acme.bitrix24.com/rest/",
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    state: "active",
    scopes: ["crm"],
    sealedApplicationToken: "v1.k1.SEALED-APP-TOKEN",
    installedAt: START,
    updatedAt: START,
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe("operator passwords", () => {
  it("hashOperatorPassword makes a salted scrypt hash that verifies only its password", async () => {
    expect(hash).toMatch(/^scrypt\.16384\.8\.1\.[\w-]{22}\.[\w-]{43}$/);
    expect(await hashOperatorPassword(PASSWORD)).not.toBe(hash);
    expect(await verifyOperatorPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyOperatorPassword(hash, `${PASSWORD} `)).toBe(false);
    expect(await verifyOperatorPassword(undefined, PASSWORD)).toBe(false);
    expect(await verifyOperatorPassword("scrypt.1.1.1.x.y", PASSWORD)).toBe(false);
    await expect(hashOperatorPassword("short")).rejects.toThrow(/8 characters/);
  });

  it("the README's node one-liner makes a hash that verifies (no b24kit needed)", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const script = /node -e '([^']+)' 'the password'/.exec(readme)?.[1];
    expect(script).toBeDefined();
    const made = execFileSync(process.execPath, ["-e", script!, "the password"], { encoding: "utf8" }).trim();
    expect(made).toMatch(/^scrypt\.16384\.8\.1\./);
    expect(await verifyOperatorPassword(made, "the password")).toBe(true);
    expect(await verifyOperatorPassword(made, "another")).toBe(false);
  });

  it("B24KIT_CONSOLE_OPERATORS reads name:hash pairs; a malformed hash fails start-up by name, without the value", () => {
    const env = {
      B24KIT_PUBLIC_URL: "https://app.example.test/",
      B24KIT_CLIENT_ID: "c",
      B24KIT_CLIENT_SECRET: "s",
      B24KIT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      B24KIT_ENCRYPTION_KEY_ID: "k1",
      B24KIT_SESSION_SECRET: "x".repeat(32),
    };
    const parsed = configFromEnv({
      ...env,
      B24KIT_CONSOLE_OPERATORS: `alice:${hash}, bob:${hash}`,
      B24KIT_METRICS_SAMPLE_SECONDS: "30",
    });
    expect(parsed.consoleOperators).toEqual([
      { name: "alice", passwordHash: hash },
      { name: "bob", passwordHash: hash },
    ]);
    expect(parsed.metricsSampleSeconds).toBe(30);
    expect(configFromEnv(env).consoleOperators).toEqual([]);
    const bad = () => configFromEnv({ ...env, B24KIT_CONSOLE_OPERATORS: "alice:plain-text-password" });
    expect(bad).toThrow(/consoleOperators\.0\.passwordHash/);
    expect(bad).not.toThrow(/plain-text-password/);
  });
});

describe("the console's door", () => {
  it("is off (404 on every path) when no operator is configured", async () => {
    const off = createApp({
      manifest: { version: "1", scopes: ["crm"] },
      config: config(),
      store: sqliteStore({ file: ":memory:" }),
    });
    for (const path of ["/console/", "/console/login", "/console/tenants"])
      expect((await off.request(path)).status).toBe(404);
    expect((await off.request("/console/login", form({ name: "alice", password: PASSWORD }))).status).toBe(
      404,
    );
    await off.close();
  });

  it("pages ask for a sign-in; the form is served no-store and unframeable", async () => {
    const page = await app.request("/console/tenants");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/console/login");
    const login = await app.request("/console/login");
    expect(login.status).toBe(200);
    expect(login.headers.get("cache-control")).toBe("no-store");
    expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(login.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(login.headers.get("x-frame-options")).toBe("DENY");
    expect(await login.text()).toContain('type="password"');
  });

  it("a wrong password is refused after a delay and audited as security; the right one gets a strict cookie", async () => {
    const wrong = await app.fetch(
      new Request("https://app.example.test/console/login", form({ name: "alice", password: "guess" })),
      { clientAddress: "198.51.100.1" },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("Wrong name or password");
    const unknown = await app.request("/console/login", form({ name: "mallory", password: PASSWORD }));
    expect(unknown.status).toBe(401);
    await app.audit.flush();
    const lines = await store.tenant(CONSOLE_AUDIT_KEY).audit.query({ kinds: ["security"] });
    expect(lines.map((l) => [l.action, l.outcome, l.detail?.reason])).toEqual([
      ["console login", "rejected", "unknown operator"],
      ["console login", "rejected", "wrong password"],
    ]);
    expect(lines[1]?.detail).toMatchObject({ operator: "alice", address: "198.51.100.1" });
    expect(JSON.stringify(lines)).not.toContain("mallory");

    const right = await app.request("/console/login", form({ name: "alice", password: PASSWORD }));
    expect(right.status).toBe(303);
    const cookie = right.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^b24kit_console=v1\.[\w-]+\.[\w-]+; Path=\/console; Max-Age=3600; HttpOnly; SameSite=Strict; Secure$/,
    );
    const overview = await app.request("/console/", { headers: { cookie: cookieOf(right) } });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain("Sign out alice");
  });

  it("a session ends when it expires, when its cookie is changed, or when the operator's password changes", async () => {
    const { cookie } = await signIn(app);
    const tampered = cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await app.request("/console/", { headers: { cookie: tampered } })).status).toBe(303);
    const other = createApp({
      manifest: { version: "1", scopes: ["crm"] },
      config: { ...config(), sessionSecret: app.config.sessionSecret },
      store,
      clock,
      console: { operators: [{ name: "alice", passwordHash: await hashOperatorPassword("a new password") }] },
    });
    expect((await other.request("/console/", { headers: { cookie } })).status).toBe(303);
    await other.close();
    await clock.advance(3600 * 1000);
    expect((await app.request("/console/", { headers: { cookie } })).status).toBe(303);
  });

  it("actions need the session's CSRF token and our Origin; each one is audited on the tenant", async () => {
    const { cookie, csrf } = await signIn(app);
    const probe = "/console/tenants/" + "a".repeat(32) + "/probe";
    expect((await app.request(probe, form({ csrf: "forged" }, { cookie }))).status).toBe(403);
    expect(
      (await app.request(probe, form({ csrf }, { cookie, origin: "https://evil.example" }))).status,
    ).toBe(403);
    expect((await app.request(probe, form({ csrf }))).status).toBe(403);
    const done = await app.request(probe, form({ csrf }, { cookie }));
    expect(done.status).toBe(303);
    // No portal answers here: the probe fails, and says so.
    expect(done.headers.get("location")).toMatch(/\/console\/tenants\/a{32}\?done=probe-failed/);
    await app.audit.flush();
    const [line] = await store.tenant("a".repeat(32)).audit.query({ kinds: ["operator"] });
    expect(line).toMatchObject({ action: "console probe", outcome: "error", detail: { operator: "alice" } });
    const page = await (
      await app.request(done.headers.get("location") ?? "", { headers: { cookie } })
    ).text();
    expect(page).toContain("The probe failed");
    expect(page).not.toContain("SEALED-APP-TOKEN");
    expect(page).not.toContain("CLIENT-SECRET");
  });

  it("an unknown tenant is a 404 page; a malformed audit search is a 400 page naming the field", async () => {
    const { cookie } = await signIn(app);
    expect((await app.request("/console/tenants/nobody", { headers: { cookie } })).status).toBe(404);
    const bad = await app.request(`/console/tenants/${"a".repeat(32)}/audit?limit=100000&kind=nope`, {
      headers: { cookie },
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("limit");
    expect(text).toContain("kind");
    const since = await app.request(`/console/tenants/${"a".repeat(32)}/audit?since=%3Cscript%3E`, {
      headers: { cookie },
    });
    expect(since.status).toBe(400);
    expect(await since.text()).not.toContain("<script>");
  });

  it("a login body over the form limit is 413 and one of another type 400, before any password check", async () => {
    const big = await app.request("/console/login", form({ name: "alice", password: "x".repeat(20_000) }));
    expect(big.status).toBe(413);
    const json = await app.request("/console/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://app.example.test" },
      body: JSON.stringify({ name: "alice", password: PASSWORD }),
    });
    expect(json.status).toBe(400);
    expect(json.headers.get("set-cookie")).toBeNull();
  });

  it("after 5 refusals in 15 minutes even the right password is refused (429), shared through the audit log", async () => {
    const address = "192.0.2.99";
    for (let i = 0; i < 5; i++) {
      const r = await app.fetch(
        new Request(
          "https://app.example.test/console/login",
          form({ name: "alice", password: `wrong ${i}` }),
        ),
        { clientAddress: address },
      );
      expect(r.status).toBe(401);
    }
    const locked = await app.fetch(
      new Request("https://app.example.test/console/login", form({ name: "alice", password: PASSWORD })),
      { clientAddress: address },
    );
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("900");
    // Another process (its own memory) sees the same refusals in the shared audit log.
    const twin = createApp({
      manifest: { version: "1", scopes: ["crm"] },
      config: { ...config(), sessionSecret: app.config.sessionSecret },
      store,
      clock,
      console: { operators: [{ name: "alice", passwordHash: hash }], failureDelayMs: 5 },
    });
    const elsewhere = await twin.request("/console/login", form({ name: "alice", password: PASSWORD }));
    expect(elsewhere.status).toBe(429);
    await twin.close();
    await clock.advance(16 * 60_000);
    expect((await signIn(app, address)).cookie).toMatch(/^b24kit_console=/);
  });
});
