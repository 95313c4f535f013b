import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sqliteStore } from "@b24kit/app/sqlite";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, expect, it } from "vitest";
import { freePort } from "./app-harness.js";

// The embedded profile killed with SIGKILL right after acknowledging events:
// every acknowledged event is on disk and is processed after the restart.
const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-crash-"));
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const fixture = fileURLToPath(new URL("./fixtures/embedded-event-app.ts", import.meta.url));

function startChild(settings: object): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", fixture], {
      env: { ...process.env, B24KIT_APP: JSON.stringify(settings) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes('"ready":true')) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`the app process exited (${code}) before it was ready`)));
  });
}

const processed = () =>
  existsSync(join(dir, "processed.log"))
    ? readFileSync(join(dir, "processed.log"), "utf8").trim().split("\n").filter(Boolean)
    : [];

it("acknowledged events survive SIGKILL and are processed after the restart", async () => {
  const portal = await testPortal(emu);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  const registered = await control(emu).registerApp({
    scopes: ["crm"],
    local: false,
    installHandlerUrl: `${publicUrl}b24/install`,
  });
  const settings = {
    dir,
    port,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    oauthServer: emu.authUrl,
    encryptionKey: randomBytes(32).toString("base64"),
    sessionSecret: randomBytes(32).toString("hex"),
    slowMs: 300,
  };
  let child = await startChild(settings);
  const store = sqliteStore({ file: join(dir, "app.db") });
  try {
    await control(emu).install(portal.memberId, registered.clientId);
    await waitFor(async () => (await store.tenant(portal.memberId).get())?.state === "active", {
      timeoutMs: 20_000,
    });
    const admin = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
    const COUNT = 60;
    for (let i = 0; i < COUNT; i++) await admin.call("crm.deal.add", { fields: { TITLE: `Deal ${i}` } });
    await control(emu).eventsIdle();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const { deliveries } = await control(emu).request<{
      deliveries: Array<{ event: string; outcome: string; body: string }>;
    }>("GET", `portals/${portal.memberId}/deliveries?event=ONCRMDEALADD`);
    const acknowledged = deliveries.filter((d) => d.outcome === "ok");
    expect(acknowledged).toHaveLength(COUNT);
    const beforeRestart = processed().length;
    // The handler takes 300 ms an event: most were still waiting when the process died.
    expect(beforeRestart).toBeLessThan(COUNT);

    child = await startChild({ ...settings, slowMs: 0 });
    await waitFor(() => new Set(processed().map((line) => line.split(" ")[1])).size >= COUNT, {
      timeoutMs: 60_000,
    });
    const dealIds = acknowledged.map((d) => new URLSearchParams(d.body).get("data[FIELDS][ID]")).sort();
    const handled = [...new Set(processed().map((line) => line.split(" ")[1]))].sort();
    expect(handled).toEqual(dealIds);
    // At least once: only the one event running at the kill may have run twice.
    expect(processed().length - handled.length).toBeLessThanOrEqual(1);
  } finally {
    child.kill("SIGKILL");
    await store.close();
  }
});
