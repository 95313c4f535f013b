import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

describe("headless Chromium", () => {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><button id="b">go</button><output id="o"></output>
      <script>document.getElementById("b").onclick = () => { document.getElementById("o").textContent = String(6 * 7) }</script>`);
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  it("opens a page, runs its script and reads the result", async () => {
    const browser = await chromium.launch({
      executablePath: process.env.B24KIT_CHROMIUM ?? "/usr/bin/chromium",
      args: CHROMIUM_FLAGS,
    });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.click("#b");
      expect(await page.textContent("#o")).toBe("42");
    } finally {
      await browser.close();
    }
  });
});
