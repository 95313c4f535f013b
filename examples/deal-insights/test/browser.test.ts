import type { ChildProcess } from "node:child_process";
import { launchBrowser } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startReferenceApp } from "./reference-app.js";

// What a new user sees after `npm start`: the portal in a browser, the reference app in its frame.
describe("the reference app inside the emulated portal (Chromium)", () => {
  let child: ChildProcess | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await closeBrowser?.();
    child?.kill("SIGTERM");
  });

  it("opens from the marketplace and shows the page the portal's frame POST asked for", async () => {
    let ready: Record<string, any>;
    ({ child, ready } = await startReferenceApp());
    const { context, close } = await launchBrowser();
    closeBrowser = close;
    const page = await context.newPage();
    await page.goto(`${ready.portalUrl}marketplace/`);
    await page.getByText("Deal insights").first().waitFor();
    await page.locator(`a[href^="/marketplace/app/"]`).first().click();
    const frame = page.frameLocator("iframe.b24-frame__iframe");
    await expect(frame.locator("h1").textContent()).resolves.toBe("Deal insights");
    await expect(frame.locator("p").textContent()).resolves.toBe("Opened with the portal's frame POST.");
  });
});
