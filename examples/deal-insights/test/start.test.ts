import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_COUNTS } from "../src/demo/seed-demo.js";
import { scoreDeal } from "../src/score.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { demoDir, type StartedReferenceApp, startReferenceApp } from "./reference-app.js";

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const rest = <T>(webhook: string, method: string, params: Record<string, unknown> = {}) =>
  json<{ result: T; total?: number }>(`${webhook}${method}.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });

describe("npm start", () => {
  let running: StartedReferenceApp | undefined;
  afterAll(async () => {
    await running?.stop("SIGKILL");
  });

  it("starts the emulator and the app, seeds the demo portal, installs the app twice, and keeps it all across a restart", async () => {
    const dir = demoDir();
    const [port, emulatorPort] = [await freePort(), await freePort()];
    running = await startReferenceApp({ dir, port, emulatorPort });
    const { ready } = running;
    expect(Object.keys(ready)).toEqual([
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
    expect(ready.ready).toBe(true);
    expect(ready.portalUrl).toBe(`https://127.0.0.1:${emulatorPort}/`);
    expect(ready.appUrl).toBe(`http://127.0.0.1:${port}/`);
    expect(ready.clientId).not.toMatch(/^local\./);
    expect(ready.controlUrl).toBe(`${ready.emulatorUrl}_emulator/`);
    expect(ready.adminWebhookUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/rest\/1\/\w+\/$/);
    // The next steps for a human go to stderr, never the ready line's stdout.
    await expect.poll(() => running!.stderr()).toContain(`${ready.portalUrl}crm/deal/list/`);

    // Installed and bound on the default portal: every placement of the manifest, the deal event, the bot.
    const installation = await json<{ installed: boolean; placements: Array<{ placement: string }> }>(
      `${ready.controlUrl}portals/${ready.memberId}/apps/${ready.clientId}`,
    );
    expect(installation.installed).toBe(true);
    expect(installation.placements.map((p) => p.placement).sort()).toEqual([
      "CRM_CONTACT_DETAIL_TAB",
      "CRM_DEAL_DETAIL_TAB",
      "CRM_DEAL_DETAIL_TOOLBAR",
      "LEFT_MENU",
    ]);
    const bots = await json<{ bots: Array<{ code: string; clientId: string }> }>(
      `${ready.controlUrl}portals/${ready.memberId}/bots`,
    );
    // The Insights bot on Chatbots 2.0 and the classic one it migrated from.
    expect(
      bots.bots
        .filter((b) => b.clientId === ready.clientId)
        .map((b) => b.code)
        .sort(),
    ).toEqual(["insights", "insights_v2"]);

    // The second portal: a plan without CRM, with the same app installed.
    const portals = await json<{ portals: Array<{ memberId: string; plan: string; modules: string[] }> }>(
      `${ready.controlUrl}portals`,
    );
    const noCrm = portals.portals.find((p) => p.memberId !== ready.memberId)!;
    expect(noCrm.plan).toBe("basic");
    expect(noCrm.modules).not.toContain("crm");
    const second = await json<{ installed: boolean }>(
      `${ready.controlUrl}portals/${noCrm.memberId}/apps/${ready.clientId}`,
    );
    expect(second.installed).toBe(true);

    // Demo data: the deals, and colleagues with different CRM rights.
    const deals = await rest<unknown[]>(ready.adminWebhookUrl, "crm.deal.list", { select: ["ID"] });
    expect(deals.total).toBe(DEMO_COUNTS.deals);
    const users = await rest<Array<{ NAME: string }>>(ready.adminWebhookUrl, "user.get", {});
    expect(users.result.map((u) => u.NAME)).toEqual(expect.arrayContaining(["Maria", "Tom", "Nina"]));
    const health = await json<{ ok: boolean }>(`${ready.appUrl}readyz`);
    expect(health.ok).toBe(true);

    // A change the app will remember: a deal event makes it score deal 2 and write the score back.
    await rest(ready.adminWebhookUrl, "crm.deal.update", { id: 2, fields: { STAGE_ID: "EXECUTING" } });
    const deal = (await rest<Record<string, string>>(ready.adminWebhookUrl, "crm.deal.get", { id: 2 }))
      .result;
    const expected = scoreDeal({
      stageId: "EXECUTING",
      amount: Number(deal.OPPORTUNITY),
      hasContact: Number(deal.CONTACT_ID) > 0,
      hasCompany: Number(deal.COMPANY_ID) > 0,
      openTasks: 1, // the demo gives each of the first 8 deals one open task
      bigDealAmount: DEFAULT_SETTINGS.bigDealAmount,
    }).score;
    expect(Number(deal.PROBABILITY)).not.toBe(expected);
    await expect
      .poll(
        async () =>
          Number(
            (await rest<{ PROBABILITY: string }>(ready.adminWebhookUrl, "crm.deal.get", { id: 2 })).result
              .PROBABILITY,
          ),
        { timeout: 20_000 },
      )
      .toBe(expected);
    expect(await running.stop("SIGINT")).toBe(0);

    // The restart: same registration, no second copy of the demo data, the app's tenant still active.
    running = await startReferenceApp({ dir, port, emulatorPort });
    expect(running.ready.clientId).toBe(ready.clientId);
    expect(running.ready.memberId).toBe(ready.memberId);
    const again = await rest<unknown[]>(running.ready.adminWebhookUrl, "crm.deal.list", { select: ["ID"] });
    expect(again.total).toBe(DEMO_COUNTS.deals);
    const after = (
      await rest<{ PROBABILITY: string }>(running.ready.adminWebhookUrl, "crm.deal.get", { id: 2 })
    ).result;
    expect(Number(after.PROBABILITY)).toBe(expected);
    expect(await running.stop("SIGINT")).toBe(0);
    running = undefined;
  }, 120_000);
});

describe("npm start with a bad port variable", () => {
  it("exits 1 with one line naming the variable, and the app never starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "b24kit-demo-"));
    try {
      const start = fileURLToPath(new URL("../bin/start.js", import.meta.url));
      for (const variable of ["B24KIT_EMULATOR_PORT", "PORT"]) {
        const run = spawnSync(process.execPath, [start], {
          env: { ...process.env, B24KIT_DEMO_DIR: dir, [variable]: "abc" },
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.status, run.stderr).toBe(1);
        expect(run.stderr.trim().split("\n").at(-1)).toBe(
          `npm start failed: ${variable} must be a port number from 0 (any free port) to 65535, got "abc"`,
        );
        expect(run.stdout).not.toContain('"ready":true');
      }
      // PORT is read after the emulator started: its state file may exist, the app's database must not.
      expect(readdirSync(dir)).not.toContain("app.db");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
