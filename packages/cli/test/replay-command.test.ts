import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type B24App, createApp } from "@b24kit/app";
import { type RunningServer, serve } from "@b24kit/app/node";
import { sqliteStore } from "@b24kit/app/sqlite";
import { encodePortalForm, eventRequest } from "@b24kit/app/testing";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerReplayCommand } from "../src/commands/replay.js";

// `b24kit replay FILE` from its sources, against a local server that keeps the exact bytes it got
// and against a real app instance over HTTP.

const dir = mkdtempSync(join(tmpdir(), "b24kit-replay-"));
const cli = join(import.meta.dirname, "..", "src", "cli.ts");
const root = join(import.meta.dirname, "..", "..", "..");

const SAVED_MEMBER = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const SAVED_TOKEN = "savedapptoken0123456789abcdef000";
const ACCESS = "accesstokenshouldneverprint00001";
const REFRESH = "refreshtokenshouldneverprint0001";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI from its sources, as `b24kit` runs it (exit code, stderr): slow, so only for two checks. */
function b24kitProcess(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", cli, ...args], {
      cwd: root,
      env: { ...process.env, B24KIT_APP_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The command in this process, with its output captured; a thrown error is cli.ts's exit 1. */
async function b24kit(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const run: Run = { status: 0, stdout: "", stderr: "" };
  const out = {
    write: (t: string) => {
      run.stdout += t;
    },
  };
  const err = {
    write: (t: string) => {
      run.stderr += t;
    },
  };
  const program = new Command().exitOverride().configureOutput({ writeOut: out.write, writeErr: err.write });
  registerReplayCommand(program, { out, err, env });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    run.status = 1;
    run.stderr += `b24kit: ${(error as Error).message}\n`;
  }
  return run;
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The body of a portal's event POST, with tokens in it (what a saved payload looks like). */
async function savedForm(overrides: { memberId?: string; applicationToken?: string } = {}): Promise<string> {
  return eventRequest({
    appUrl: "http://saved.example/",
    event: "ONCRMDEALADD",
    data: { FIELDS: { ID: 42, TITLE: "Deal ~ (1)" } },
    memberId: overrides.memberId ?? SAVED_MEMBER,
    applicationToken: overrides.applicationToken ?? SAVED_TOKEN,
    accessToken: ACCESS,
    refreshToken: REFRESH,
    ts: 1_700_000_000,
  }).text();
}

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A server that keeps what it got and answers `status`, echoing the body back unless told otherwise. */
let captured: Captured[] = [];
let answer: { status: number; body?: string } = { status: 200, body: '{"ok":true}' };
let capture: Server;
let captureUrl: string;

let app: B24App;
let appServer: RunningServer;
let appStore: ReturnType<typeof sqliteStore>;
const LOCAL_MEMBER = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const LOCAL_TOKEN = "localapplicationtoken00000000001";

beforeAll(async () => {
  capture = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      captured.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body ?? body);
    });
  });
  await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;

  // A real app with one local tenant, installed through its public tenant API.
  appStore = sqliteStore({ file: join(dir, "app.db") });
  app = createApp({
    manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    config: {
      appName: "Replay target",
      publicUrl: "http://127.0.0.1/",
      clientId: "app.replay",
      clientSecret: "replay-secret",
      oauthServer: "https://oauth.example.invalid/",
      encryptionKeys: { k1: randomBytes(32).toString("base64") },
      encryptionKeyId: "k1",
      sessionSecret: randomBytes(32).toString("hex"),
    },
    store: appStore,
    auditRetention: false,
  });
  await app.ready();
  await app.tenants.beginInstall({
    memberId: LOCAL_MEMBER,
    domain: "local.example",
    clientEndpoint: "https://local.example/rest/",
    serverEndpoint: "https://oauth.example.invalid/rest/",
    scopes: ["crm"],
    tokens: {
      accessToken: "a".repeat(32),
      refreshToken: "r".repeat(32),
      expiresAt: Date.now() + 3_600_000,
      clientEndpoint: "https://local.example/rest/",
      serverEndpoint: "https://oauth.example.invalid/rest/",
      memberId: LOCAL_MEMBER,
    },
    applicationToken: LOCAL_TOKEN,
  });
  await app.tenants.transition(LOCAL_MEMBER, "finish");
  appServer = await serve(app, { port: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => capture.close(() => resolve()));
  await appServer?.close();
  await app?.close();
  await appStore?.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectNoSecrets(run: Run, ...secrets: string[]) {
  for (const secret of [ACCESS, REFRESH, SAVED_TOKEN, LOCAL_TOKEN, ...secrets]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describe("b24kit replay", () => {
  it("posts a saved form body byte for byte, as a form, and prints the app's answer", async () => {
    captured = [];
    answer = { status: 200, body: '{"ok":true}' };
    // Lower-case escapes and a raw "~": a re-encoder would change them.
    const body = `${await savedForm()}&data%5bEXTRA%5d=a~b`;
    const run = await b24kit(["replay", file("saved.form", body), "--url", `${captureUrl}/hooks/events`]);
    expect(run.status).toBe(0);
    expect(captured).toHaveLength(1);
    expect(captured[0]!.method).toBe("POST");
    expect(captured[0]!.url).toBe("/hooks/events");
    expect(captured[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(captured[0]!.body.toString("utf8")).toBe(body);
    expect(run.stdout).toBe('HTTP 200 OK\n{"ok":true}\n');
    expect(run.stderr).toContain(`ONCRMDEALADD for ${SAVED_MEMBER}`);
    expectNoSecrets(run);
  });

  it("drops only the editor's line break at the end of a form file", async () => {
    captured = [];
    const body = await savedForm();
    const run = await b24kit(["replay", file("newline.form", `${body}\r\n`), "--url", `${captureUrl}/e`]);
    expect(run.status).toBe(0);
    expect(captured[0]!.body.toString("utf8")).toBe(body);
  });

  it("encodes a JSON payload as the portal does, and a base URL gets b24/events", async () => {
    captured = [];
    const payload = {
      event: "ONCRMDEALUPDATE",
      data: { FIELDS: { ID: 7, NAME: "a b" }, FLAG: true, NONE: null },
      ts: 1700000000,
      auth: { member_id: SAVED_MEMBER, application_token: SAVED_TOKEN },
    };
    const run = await b24kit([
      "replay",
      file("saved.json", JSON.stringify(payload, null, 2)),
      "--url",
      `${captureUrl}/app/`,
    ]);
    expect(run.status).toBe(0);
    expect(captured[0]!.url).toBe("/app/b24/events");
    expect(captured[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(captured[0]!.body.toString("utf8")).toBe(encodePortalForm(payload));
    expect(captured[0]!.body.toString("utf8")).toBe(
      "event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=7&data%5BFIELDS%5D%5BNAME%5D=a+b&data%5BFLAG%5D=1" +
        `&ts=1700000000&auth%5Bmember_id%5D=${SAVED_MEMBER}&auth%5Bapplication_token%5D=${SAVED_TOKEN}`,
    );
    expect(run.stderr).toContain("encoded from JSON");
  });

  it("takes its URL from B24KIT_APP_URL", async () => {
    captured = [];
    const run = await b24kit(["replay", file("env.form", await savedForm())], {
      B24KIT_APP_URL: `${captureUrl}/`,
    });
    expect(run.status).toBe(0);
    expect(captured[0]!.url).toBe("/b24/events");
  });

  it("--member-id, --application-token and --ts now replace only their own pairs", async () => {
    captured = [];
    const body = await savedForm();
    const before = Math.floor(Date.now() / 1000);
    const run = await b24kit([
      "replay",
      file("resign.form", body),
      "--url",
      `${captureUrl}/e`,
      "--member-id",
      LOCAL_MEMBER,
      "--application-token",
      LOCAL_TOKEN,
      "--ts",
      "now",
    ]);
    expect(run.status).toBe(0);
    const sent = captured[0]!.body.toString("utf8").split("&");
    const original = body.split("&");
    expect(sent).toHaveLength(original.length);
    const changed = original
      .map((pair, i) => [pair, sent[i]!] as const)
      .filter(([a, b]) => a !== b)
      .map(([, b]) => b);
    expect(changed).toHaveLength(3);
    expect(changed).toContain(`auth%5Bmember_id%5D=${LOCAL_MEMBER}`);
    expect(changed).toContain(`auth%5Bapplication_token%5D=${LOCAL_TOKEN}`);
    const ts = Number(changed.find((p) => p.startsWith("ts="))!.slice(3));
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(run.stderr).toContain(`for ${LOCAL_MEMBER}`);
    expectNoSecrets(run);
  });

  it("re-signs a JSON payload too, adding auth when it has none", async () => {
    captured = [];
    const run = await b24kit([
      "replay",
      file("bare.json", JSON.stringify({ event: "ONTASKADD", data: { FIELDS_AFTER: { ID: 3 } } })),
      "--url",
      `${captureUrl}/e`,
      "--member-id",
      LOCAL_MEMBER,
      "--application-token",
      LOCAL_TOKEN,
      "--ts",
      "1700000001",
    ]);
    expect(run.status).toBe(0);
    expect(captured[0]!.body.toString("utf8")).toBe(
      "event=ONTASKADD&data%5BFIELDS_AFTER%5D%5BID%5D=3" +
        `&auth%5Bmember_id%5D=${LOCAL_MEMBER}&auth%5Bapplication_token%5D=${LOCAL_TOKEN}&ts=1700000001`,
    );
  });

  // The bin's own process: its exit code and stderr, against a real app instance over HTTP.
  it("against a real app: a payload of another portal is refused (401), and the exit code says so", async () => {
    const saved = file("real.form", await savedForm());
    const refused = await b24kitProcess(["replay", saved, "--url", `${appServer.url}/b24/events`]);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain("HTTP 401");
    expect(refused.stdout).toContain("APPLICATION_TOKEN_MISMATCH");
    expect(refused.stderr).toContain("b24kit: the app answered 401");
    expectNoSecrets(refused);
  });

  it("against a real app: the same payload re-signed for the local tenant is taken (200, exit 0)", async () => {
    const saved = file("real.form", await savedForm());
    const accepted = await b24kitProcess([
      "replay",
      saved,
      "--url",
      `${appServer.url}/`,
      "--member-id",
      LOCAL_MEMBER,
      "--application-token",
      LOCAL_TOKEN,
    ]);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toBe('HTTP 200 OK\n{"ok":true}\n');
    expectNoSecrets(accepted);
  });

  it("never prints a token, even when the app echoes the payload back with an error", async () => {
    captured = [];
    answer = { status: 500 };
    const run = await b24kit([
      "replay",
      file("echo.form", await savedForm()),
      "--url",
      `${captureUrl}/e`,
      "--application-token",
      LOCAL_TOKEN,
    ]);
    answer = { status: 200, body: '{"ok":true}' };
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain("HTTP 500");
    expect(run.stdout).toContain("event=ONCRMDEALADD");
    expect(run.stdout).toContain("[redacted]");
    expectNoSecrets(run);
  });

  it("says what is wrong with its input", async () => {
    const form = file("ok.form", await savedForm());
    const folder = join(dir, "folder");
    mkdirSync(folder, { recursive: true });
    const cases: Array<[string[], RegExp]> = [
      [["replay", join(dir, "missing.form")], /no such file: .*missing\.form/],
      [["replay", folder], /is a directory/],
      [["replay", file("empty.form", "\n")], /is empty/],
      [
        ["replay", file("junk.txt", "hello world\nsecond line")],
        /neither a JSON object nor a form-encoded body/,
      ],
      [["replay", file("bad.json", '{"event": ')], /starts like JSON but does not parse/],
      [["replay", file("list.json", " [1, 2]")], /neither a JSON object/],
      [["replay", form, "--url", "not a url"], /--url: not a URL/],
      [["replay", form, "--url", "ftp://127.0.0.1/"], /--url must be http:\/\/ or https:\/\//],
      [["replay", form, "--ts", "yesterday"], /--ts must be "now" or unix seconds/],
      [["replay", form, "--member-id", "x"], /--member-id must be/],
      [
        ["replay", form, "--url", "http://127.0.0.1:1/b24/events"],
        /could not reach http:\/\/127\.0\.0\.1:1\/b24\/events/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await b24kit(args);
      expect(run.status, args.join(" ")).not.toBe(0);
      expect(run.stderr, args.join(" ")).toMatch(message);
      expectNoSecrets(run);
    }
  });
});
