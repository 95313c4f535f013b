import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { createInterface } from "node:readline";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, expect, it } from "vitest";

// The REST README's first call, as a newcomer makes it (issue 16): its commands, run as written, start
// `npx b24kit emulator` (bin from the build, as after `npm install`) and run readme-examples/first-call.mjs
// against it. Only the two values a reader copies from the ready line are filled in.
const examples = new URL("./readme-examples/", import.meta.url).pathname;
const root = new URL("../../../", import.meta.url).pathname;
let emulator: ChildProcess | undefined;
afterAll(() => {
  // npx and the emulator run under bash, in a process group of their own.
  if (emulator?.pid && emulator.exitCode === null) process.kill(-emulator.pid, "SIGINT");
});

/** The test CA's folder is `<home>/ca`, so the emulator reuses it instead of making a CA of its own. */
function b24kitHome(): string {
  const caDir = process.env.B24KIT_TEST_CA_DIR!;
  expect(basename(caDir)).toBe("ca");
  return dirname(caDir);
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before its ready line`)));
  });
}

function run(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-e", "-c", script], { cwd: examples, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

it("works by the README's commands against `npx b24kit emulator`, and not without trusting its CA", async () => {
  emulator = spawn("bash", [new URL("./readme-examples/start-emulator.sh", import.meta.url).pathname], {
    cwd: root,
    detached: true,
    // B24KIT_EMULATOR_PORT=0: a free port, so that a developer's own emulator on 8480 is left alone.
    env: { ...process.env, B24KIT_EMULATOR_PORT: "0", B24KIT_HOME: b24kitHome() },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = JSON.parse(await firstLine(emulator));
  const webhook: string = ready.portals[0].adminWebhookUrl;

  const commands = readFileSync(new URL("./readme-examples/first-call.sh", import.meta.url), "utf8");
  expect(commands).toContain("~/.b24kit/ca/ca.pem");
  expect(commands).toContain("<adminWebhookUrl>");
  // Nothing inherited: the trust must come from the README's own export.
  const { NODE_EXTRA_CA_CERTS: _inherited, ...env } = process.env;
  const filled = commands.replace("~/.b24kit/ca/ca.pem", ready.caFile).replace("<adminWebhookUrl>", webhook);
  const result = await run(filled, env);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Hello, Admin Portal \(user 1\)\nDeal (\d+) created\n$/);
  const dealId = /Deal (\d+) created/.exec(result.stdout)![1];
  const check = createB24Client({ auth: webhookAuth(webhook), limits: false });
  const deal = await check.call<{ TITLE: string }>("crm.deal.get", { id: dealId });
  expect(deal.result.TITLE).toBe("My first deal");

  // Without the CA line the same script fails at once, saying how to trust the emulator.
  const untrusted = await run(filled.replace(/^export NODE_EXTRA_CA_CERTS=.*$/m, ""), env);
  expect(untrusted.code).not.toBe(0);
  expect(untrusted.stderr).toContain("CERTIFICATE_UNTRUSTED");
  expect(untrusted.stderr).toContain("NODE_EXTRA_CA_CERTS");
}, 90_000);
