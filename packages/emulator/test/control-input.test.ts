import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";

// The control API refuses what it does not understand instead of storing it (issue 16), and the
// portal's pages answer a person, not Fastify's JSON, where there is no page.
const emu = await testEmulator();
afterAll(() => emu.close());
const memberId = emu.portals[0]!.memberId as string;

describe("PATCH settings", () => {
  it("refuses an unknown key or a wrong value, naming it, and stores nothing", async () => {
    const before = await control(emu).send("GET", "settings");
    const typo = await control(emu).send("PATCH", "settings", { eventTimeoutMS: 5000 });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toContain("unknown setting eventTimeoutMS (known: oauthErrorStatus,");
    const wrong = await control(emu).send("PATCH", "settings", {
      eventTimeoutMs: "x",
      strictEventDelivery: "no",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatch(/eventTimeoutMs: .*number/);
    expect(wrong.body.error).toMatch(/strictEventDelivery: .*boolean/);
    expect((await control(emu).send("GET", "settings")).body).toEqual(before.body);
  });

  it("stores good values", async () => {
    const ok = await control(emu).send("PATCH", "settings", { eventTimeoutMs: 45_000 });
    expect(ok.status).toBe(200);
    expect(ok.body.eventTimeoutMs).toBe(45_000);
    await control(emu).send("PATCH", "settings", { eventTimeoutMs: 60_000 });
  });
});

describe("PATCH portals/{memberId}", () => {
  it("refuses a misspelt field instead of answering 200 and changing nothing", async () => {
    const answer = await control(emu).send("PATCH", `portals/${memberId}`, { plann: "free" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(
      "unknown field plann (known: plan, modules, features, operatingLimitSeconds, bucket, latency, requestLatencyMs, uiUserId)",
    );
    expect((await control(emu).send("GET", `portals/${memberId}`)).body.plan).toBe("professional");
  });
});

describe("paths with nothing behind them", () => {
  it("a browser gets a page with the way back; a script gets JSON; the favicon is no 404", async () => {
    const page = await fetch(`${emu.url}crm/nothing/here/`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("Page not found");
    expect(html).toContain('href="/crm/deal/list/"');
    const script = await fetch(`${emu.url}crm/nothing/here/`);
    expect(script.status).toBe(404);
    expect(await script.json()).toEqual({ error: "Not found: GET /crm/nothing/here/" });
    expect((await fetch(`${emu.url}favicon.ico`)).status).toBe(204);
  });
});

describe("GET apps/{clientId}", () => {
  it("shows a registration without its secret, and 404 for one the emulator does not have", async () => {
    const { clientId, clientSecret } = (
      await control(emu).send("POST", "apps", { scopes: ["crm"], name: "Probe", local: false })
    ).body as { clientId: string; clientSecret: string };
    const known = await control(emu).send("GET", `apps/${clientId}`);
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ clientId, name: "Probe", local: false, scopes: ["crm"] });
    expect(JSON.stringify(known.body)).not.toContain(clientSecret);
    expect((await control(emu).send("GET", "apps/app.nothing.123")).status).toBe(404);
  });
});
