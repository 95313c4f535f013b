import type { Browser, BrowserContext } from "playwright-core";

/** Chromium flags that work headless as root on a machine without network (Debian's package). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Debian's Chromium through playwright-core (an optional peer: install it to
 * use this), at `B24KIT_CHROMIUM` or `/usr/bin/chromium`, with a context that
 * accepts the emulator's certificates (its local CA is not in the browser's
 * store; only the emulator and your loopback app are visited).
 */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ browser: Browser; context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.B24KIT_CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_FLAGS,
  });
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  return { browser, context, close: () => browser.close() };
}
