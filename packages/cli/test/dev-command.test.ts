import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_SEED } from "../src/commands/dev/seed-portal.js";
import { bin, firstLine } from "./helpers.js";

// `b24kit dev` on an app `b24kit new` wrote. Its node_modules is the workspace's (a symlink), so the
// app runs this checkout's packages without an npm install (new-app.test.ts does the real install).
const workspace = resolve(import.meta.dirname, "..", "..", "..");
const parent = mkdtempSync(join(tmpdir(), "b24kit-dev-"));
const appDir = join(parent, "dev-app");
const children: ChildProcess[] = [];

beforeAll(() => {
  const r = spawnSync(process.execPath, [bin, "new", "dev-app", "--dir", parent], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  symlinkSync(join(workspace, "node_modules"), join(appDir, "node_modules"), "dir");
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(parent, { recursive: true, force: true });
});

interface Ready {
  ready: true;
  portalUrl: string;
  appUrl: string;
  emulatorUrl: string;
  caFile: string;
  memberId: string;
  clientId: string;
  controlUrl: string;
  adminWebhookUrl: string;
}

/** `b24kit dev` with free ports and the test CA (which this process trusts). */
function startDev(...extra: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      bin,
      "dev",
      "--port",
      "0",
      "--emulator-port",
      "0",
      "--ca-dir",
      process.env.B24KIT_TEST_CA_DIR!,
      ...extra,
    ],
    { cwd: appDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  return { child, output: () => err };
}

async function ready(dev: ReturnType<typeof startDev>): Promise<Ready> {
  try {
    return JSON.parse(await firstLine(dev.child)) as Ready;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : error}\n${dev.output()}`);
  }
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.ok, `${url}: HTTP ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

/** The deal tab as the portal's admin opens it: the portal's request (placements/open), POSTed to the app. */
async function openDealTab(r: Ready, dealId: number): Promise<string> {
  const request = await post<{ url: string; fields: Record<string, string> }>(
    `${r.controlUrl}portals/${r.memberId}/placements/open`,
    { clientId: r.clientId, placement: "CRM_DEAL_DETAIL_TAB", options: { ID: dealId } },
  );
  const res = await fetch(request.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(request.fields).toString(),
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  return exited;
}

describe("b24kit dev", () => {
  let first: Ready;
  let dealId: number;

  it("starts the emulator and the app, installs it, prints the ready line; SIGINT stops both", {
    timeout: 120_000,
  }, async () => {
    const dev = startDev();
    first = await ready(dev);
    expect(Object.keys(first)).toEqual([
      "ready",
      "portalUrl",
      "appUrl",
      "emulatorUrl",
      "caFile",
      "memberId",
      "clientId",
      "controlUrl",
      "adminWebhookUrl",
    ]);
    expect(first.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.emulatorUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.portalUrl).toBe(first.emulatorUrl);
    expect(first.controlUrl).toBe(`${first.emulatorUrl}_emulator/`);
    expect(first.caFile).toBe(process.env.NODE_EXTRA_CA_CERTS);
    expect(first.clientId).toMatch(/^app\./); // a marketplace app, not a local one

    const installation = (await (
      await fetch(`${first.controlUrl}portals/${first.memberId}/apps/${first.clientId}`)
    ).json()) as { installed: boolean; scopes: string[]; placements: Array<{ handler: string }> };
    expect(installation.installed).toBe(true);
    expect(installation.scopes.sort()).toEqual(["crm", "placement", "user"]); // the manifest's
    expect(installation.placements.map((p) => p.handler)).toEqual([
      `${first.appUrl}b24/placements/CRM_DEAL_DETAIL_TAB`,
    ]);
    expect((await fetch(`${first.appUrl}healthz`)).status).toBe(200);
    // A fresh portal gets demo deals, so the tab has something to open on the first run.
    const seeded = await post<{ total: number }>(`${first.adminWebhookUrl}crm.deal.list`, { select: ["ID"] });
    expect(seeded.total).toBe(DEV_SEED.deals);

    ({ result: dealId } = await post<{ result: number }>(`${first.adminWebhookUrl}crm.deal.add`, {
      fields: { TITLE: "Dev <deal>" },
    }));
    const html = await openDealTab(first, dealId);
    expect(html).toContain('<h1 id="deal-title">Dev &lt;deal&gt;</h1>');

    expect(await stop(dev.child)).toBe(0);
    await expect(fetch(`${first.appUrl}healthz`)).rejects.toThrow();
    await expect(fetch(`${first.controlUrl}portals`)).rejects.toThrow();
    const saved = JSON.parse(readFileSync(join(appDir, ".b24kit", "dev.json"), "utf8"));
    expect(saved.clientId).toBe(first.clientId);
  });

  it("a restart keeps the registration, the install and the data; a change restarts the app", {
    timeout: 120_000,
  }, async () => {
    expect(first).toBeDefined();
    const dev = startDev();
    const again = await ready(dev);
    expect(again.clientId).toBe(first.clientId);
    expect(again.memberId).toBe(first.memberId);
    expect(again.appUrl).toBe(first.appUrl); // the ports of the last run, still free
    expect(dev.output()).not.toContain("registering it anew");
    // The app still reads its sealed tokens (same keys), and the portal kept the deal.
    expect(await openDealTab(again, dealId)).toContain("Dev &lt;deal&gt;");

    // Watch mode: a saved change restarts the app.
    const appTs = join(appDir, "src", "app.ts");
    writeFileSync(
      appTs,
      readFileSync(appTs, "utf8").replace("No change seen yet.", "Nothing changed so far."),
    );
    let html = "";
    for (let i = 0; i < 100 && !html.includes("Nothing changed so far."); i++) {
      await new Promise((r) => setTimeout(r, 200));
      html = await openDealTab(again, dealId).catch(() => "");
    }
    expect(html).toContain("Nothing changed so far.");
    expect(await stop(dev.child)).toBe(0);
  });

  it("says what is missing in a folder without the entry", () => {
    const r = spawnSync(process.execPath, [bin, "dev", "--port", "0", "--emulator-port", "0"], {
      cwd: parent,
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no src/server.ts in");
    expect(r.stderr).toContain("--entry FILE");
  });
});
