import { existsSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { basename, dirname } from "node:path";
import { testEmulator } from "@b24kit/emulator/testing";
import { afterEach, expect, it, vi } from "vitest";

// The README's scripts (test/readme-examples/), run as a user runs them.
const saved = { ...process.env };
afterEach(() => {
  for (const key of ["NODE_EXTRA_CA_CERTS", "B24KIT_TEST_CA_DIR", "B24KIT_HOME"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  vi.restoreAllMocks();
});

/** Whether `url` answers over TLS trusting only the CA in `caFile`. */
function trustedBy(caFile: string, url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { ca: readFileSync(caFile), method: "GET" }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

it("readme-examples/global-setup.ts: names in NODE_EXTRA_CA_CERTS the CA the test emulators' certificates come from", async () => {
  delete process.env.NODE_EXTRA_CA_CERTS;
  const setup = (await import("./readme-examples/global-setup.js")).default;
  setup();
  const caFile = process.env.NODE_EXTRA_CA_CERTS!;
  expect(existsSync(caFile)).toBe(true);
  const emu = await testEmulator();
  try {
    expect(await trustedBy(caFile, emu.url)).toBe(true);
  } finally {
    await emu.close();
  }
});

it("readme-examples/in-code.ts: starts an emulator, makes and seeds a portal, and calls it", async () => {
  // Its CA in $B24KIT_HOME/ca: the test CA, which this process already trusts (as NODE_EXTRA_CA_CERTS).
  const caDir = process.env.B24KIT_TEST_CA_DIR!;
  expect(basename(caDir)).toBe("ca");
  process.env.B24KIT_HOME = dirname(caDir);
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
  await import("./readme-examples/in-code.js");
  expect(printed).toHaveLength(1);
  expect(printed[0]).toMatch(/^120 deals on portal [0-9a-f]{32}$/);
});
