import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const start = fileURLToPath(new URL("../bin/start.js", import.meta.url));

describe("npm start", () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill("SIGTERM"));

  it("starts the emulator and the app, installs the app and prints the ready line", async () => {
    child = spawn(process.execPath, [start], {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        PORT: "0",
        B24KIT_EMULATOR_PORT: "0",
        B24KIT_HOME: `${process.env.B24KIT_TEST_CA_DIR}/..`,
      },
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once("line", resolve);
      child!.once("exit", (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    const ready = JSON.parse(line);
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
