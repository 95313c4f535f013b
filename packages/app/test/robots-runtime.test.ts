import type { RobotContext } from "@b24kit/app";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// Robots through the runtime: the manifest registers them, the portal's POST is verified and
// queued, the handler's return values go back with bizproc.event.send, and the emulator's
// automation (api-reference/bizproc/bizproc-robot/) is the witness.
const emu = await testEmulator();
let h: Harness;
let memberId: string;
const seen: Array<Pick<RobotContext, "code" | "document" | "properties" | "attempt">> = [];

const MANIFEST = {
  version: "1",
  scopes: ["crm", "bizproc"],
  robots: [
    {
      code: "score_deal",
      name: "Score this deal",
      properties: { threshold: { name: "Threshold", type: "int" as const, default: "50" } },
      returnProperties: { score: { name: "Score", type: "int" as const } },
      documents: ["deal" as const],
    },
  ],
};

interface Run {
  CODE: string;
  ENTITY_ID: number;
  STATUS: string;
  RETURN_VALUES: Record<string, unknown>;
  LOG: string[];
}

const runs = async () =>
  (await control(emu).request<{ runs: Run[] }>("GET", `portals/${memberId}/robot-runs`)).runs;

beforeAll(async () => {
  const portal = await testPortal(emu, { plan: "professional" });
  memberId = portal.memberId;
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: MANIFEST,
    queue: true,
    handlers: {
      robots: {
        async score_deal(ctx) {
          seen.push({
            code: ctx.code,
            document: ctx.document,
            properties: ctx.properties,
            attempt: ctx.attempt,
          });
          const deal = await ctx.b24.call<{ OPPORTUNITY: string }>("crm.deal.get", { id: ctx.document.id });
          ctx.log(`Scored against ${String(ctx.properties.threshold)}`);
          return { score: Number(deal.result.OPPORTUNITY) >= Number(ctx.properties.threshold) ? 90 : 10 };
        },
      },
    },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

describe("robots", () => {
  it("install registers the manifest's robots on the portal", async () => {
    const listed = await h.app.forPortal(memberId).call<string[]>("bizproc.robot.list");
    expect(listed.result).toEqual(["score_deal"]);
  });

  it("a deal entering the robot's stage runs the handler; its return values complete the robot", async () => {
    await control(emu).request("POST", `portals/${memberId}/automation-rules`, {
      stageId: "EXECUTING",
      clientId: h.clientId,
      code: "score_deal",
      values: { threshold: "1000" },
    });
    const admin = createB24Client({ auth: webhookAuth((await testPortalHook()).url) });
    const big = (await admin.call<number>("crm.deal.add", { fields: { TITLE: "Big", OPPORTUNITY: 5000 } }))
      .result;
    await admin.call("crm.deal.update", { id: big, fields: { STAGE_ID: "EXECUTING" } });
    await waitFor(async () => (await runs()).some((r) => r.ENTITY_ID === big && r.STATUS === "completed"), {
      timeoutMs: 20_000,
    });
    const run = (await runs()).find((r) => r.ENTITY_ID === big)!;
    expect(run.RETURN_VALUES).toEqual({ score: 90 });
    expect(run.LOG).toEqual(["Scored against 1000"]);
    expect(seen[0]).toMatchObject({
      code: "score_deal",
      document: { entity: "DEAL", id: big, documentId: ["crm", "CCrmDocumentDeal", `DEAL_${big}`] },
      properties: { threshold: "1000" },
      attempt: 1,
    });
  });

  it("a forged robot POST is refused and nothing runs", async () => {
    const body = new URLSearchParams({
      code: "score_deal",
      workflow_id: "forged.1",
      event_token: "forged|A1_2_3_4|x",
      "document_id[0]": "crm",
      "document_id[1]": "CCrmDocumentDeal",
      "document_id[2]": "DEAL_1",
      "auth[member_id]": memberId,
      "auth[application_token]": "not-the-portals",
    });
    const before = seen.length;
    const res = await fetch(`${h.publicUrl}b24/robots`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(res.status).toBe(401);
    const stats = await h.app.queue?.stats();
    expect(stats?.waiting ?? 0).toBe(0);
    expect(seen.length).toBe(before);
  });
});

/** A webhook of the portal's admin with the scopes the test writes with. */
async function testPortalHook() {
  return control(emu).addWebhook(memberId, { scopes: ["crm"] });
}
