import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { startReferenceApp } from "./reference-app.js";

describe("npm start", () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill("SIGTERM"));

  it("starts the emulator and the app, installs the app and prints the ready line", async () => {
    let ready: Record<string, any>;
    ({ child, ready } = await startReferenceApp());
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
    expect(ready.portalUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.clientId).not.toMatch(/^local\./);
    expect(ready.controlUrl).toBe(`${ready.emulatorUrl}_emulator/`);
    expect(ready.adminWebhookUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/rest\/1\/\w+\/$/);

    const installation = await fetch(
      `${ready.emulatorUrl}_emulator/portals/${ready.memberId}/apps/${ready.clientId}`,
    );
    expect(((await installation.json()) as any).installed).toBe(true);
    const page = await fetch(ready.appUrl);
    expect(await page.text()).toContain("Deal insights");

    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child!.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
