import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

describe("--state FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "b24kit-state-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps portals, data, apps and tokens across a restart", async () => {
    const stateFile = join(dir, "emulator.sqlite");
    const first = await testEmulator({ stateFile });
    const memberId = first.portals[0]!.memberId as string;
    const hook = first.portals[0]!.adminWebhookUrl as string;
    const id = (await call(hook, "crm.deal.add", { fields: { TITLE: "survives" } })).body.result;
    const app = (await control(first).send("POST", "apps", { scopes: ["crm"] })).body;
    const { auth } = (
      await control(first).send("POST", `portals/${memberId}/install`, { clientId: app.clientId })
    ).body;
    const extra = (await control(first).send("POST", "portals", { plan: "standard" })).body;
    const port = new URL(first.url).port;
    await first.close();

    const second = await testEmulator({ stateFile, port: Number(port) });
    try {
      expect(second.portals.map((p) => p.memberId)).toEqual([memberId, extra.memberId]);
      const deal = await call(hook, "crm.deal.get", { id });
      expect((deal.body.result as any).TITLE).toBe("survives");
      const asApp = await call(auth.client_endpoint, "crm.deal.get", { id, auth: auth.access_token });
      expect(asApp.status).toBe(200);
      const info = (await control(second).send("GET", `portals/${extra.memberId}`)).body;
      expect(info.plan).toBe("standard");
      expect((await call(info.adminWebhookUrl, "profile")).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
