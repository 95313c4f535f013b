import type { EmulatorHandle } from "@b24kit/emulator";
import { launchBrowser, testEmulator, waitFor } from "@b24kit/emulator/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// The install a portal admin does, in real Chromium: the marketplace's Install button, the runtime's
// installer page in the portal's frame, the official SDK's installFinish, then the app page and a
// call from the frame to the app's backend with the signed session.
let emu: EmulatorHandle;
let browser: Browser;
let context: BrowserContext;
let h: Harness;

beforeAll(async () => {
  emu = await testEmulator();
  h = await startApp(emu, {
    registration: (url) => ({ appUrl: url, installUrl: url, name: "Deal insights" }),
    handlers: {
      page: (ctx) => `<main><h1 id="hello">Hello, ${ctx.user.name}</h1></main>`,
      api: { whoami: (ctx) => ({ memberId: ctx.tenant.memberId, userId: ctx.userId }) },
    },
  });
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await emu?.close();
});

describe("install from the portal's marketplace in Chromium", () => {
  it("installer page → installFinish → active; the app page's frame reaches the backend with its session", {
    timeout: 90_000,
  }, async () => {
    const memberId = emu.portals[0]?.memberId as string;
    const page = await context.newPage();
    await page.goto(`${emu.url}marketplace/`);
    await Promise.all([
      page.waitForURL(/install_finished=Y/, { timeout: 30_000 }),
      page.click(`[data-install="${h.clientId}"]`),
    ]);
    await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
    const tenant = await h.app.tenants.get(memberId);
    expect(tenant?.manifestVersion).toBe("1");

    // Right after installFinish the portal launches the app's page (docs/protocol.md §2.3).
    const frame = page.frameLocator(".b24-frame iframe");
    await expect.poll(() => frame.locator("#hello").textContent(), { timeout: 20_000 }).toMatch(/^Hello, /);
    const handle = await page.locator(".b24-frame iframe").elementHandle();
    const inner = await handle?.contentFrame();
    if (!inner) throw new Error("no app frame");
    await expect
      .poll(() => inner.evaluate(() => document.documentElement.dataset.b24kit), { timeout: 20_000 })
      .toBe("ready");
    const whoami = await inner.evaluate(async () =>
      (window as unknown as { b24kit: { api(n: string): Promise<unknown> } }).b24kit.api("whoami"),
    );
    expect(whoami).toEqual({ result: { memberId, userId: 1 } });
    await page.close();
  });
});
