import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorOptions, startEmulator } from "@b24kit/emulator";
import { freePort, testEmulator } from "@b24kit/emulator/testing";
import { describe, expect, it } from "vitest";

// startEmulator and testEmulator check their options before anything listens or is written
// (issue 16): a wrong value names the option and what it takes, instead of surfacing later as a
// certificate error, Node's "NaN" or a 500 on every REST call; a misspelt key from JavaScript is
// refused rather than ignored.

/** Whether a port can still be taken: the refused emulator never listened on it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("startEmulator refuses bad options before it starts", () => {
  it.for<[string, Record<string, unknown>, string]>([
    [
      "a port that is no port",
      { port: 70_000 },
      "port must be a port number 0..65535 (0 picks a free one), got 70000",
    ],
    [
      "a port that is no number",
      { port: "8480" },
      'port must be a port number 0..65535 (0 picks a free one), got "8480"',
    ],
    [
      "a host that is no address",
      { host: "256.1.1.1" },
      'host must be an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name, got "256.1.1.1"',
    ],
    [
      "an unknown plan",
      { plan: "gold" },
      'plan must be one of free, basic, standard, professional, enterprise, got "gold"',
    ],
    [
      "a CA bundle that is no PEM",
      { handlerCaBundle: "not a certificate" },
      "handlerCaBundle must be a PEM bundle of certificates",
    ],
    ["a flag that is no boolean", { http: "yes" }, 'http must be true or false, got "yes"'],
    [
      "allowed hosts that are no names",
      { allowedHosts: ["ok.test", "no spaces"] },
      "allowedHosts must be a list of host names",
    ],
    [
      "a misspelt option",
      { Port: 0 },
      "unknown option Port (known: port, host, http, stateFile, caDir, plan,",
    ],
  ])("%s", async ([, bad, message]) => {
    const port = await freePort();
    const stateFile = join(mkdtempSync(join(tmpdir(), "b24kit-emu-options-")), "state.db");
    const options = { port, http: true, stateFile, ...bad } as EmulatorOptions;
    await expect(startEmulator(options)).rejects.toThrow(`startEmulator: ${message}`);
    expect(await portIsFree(port)).toBe(true);
    expect(existsSync(stateFile)).toBe(false);
  });

  it("names every problem at once, in one line", async () => {
    const error = await startEmulator({ port: -1, plan: "gold" } as unknown as EmulatorOptions).catch(
      (e) => e,
    );
    expect(error.message).toMatch(
      /^startEmulator: port must be .*, got -1; plan must be one of .*, got "gold"$/,
    );
  });

  it("testEmulator checks the options it is given the same way", async () => {
    await expect(testEmulator({ strictEventDelivery: 1 } as unknown as EmulatorOptions)).rejects.toThrow(
      "startEmulator: strictEventDelivery must be true or false, got 1",
    );
  });

  it("good options start it, undefined ones count as absent", async () => {
    const emu = await testEmulator({ http: true, plan: "basic", stateFile: undefined });
    try {
      expect(emu.portals[0]?.plan).toBe("basic");
    } finally {
      await emu.close();
    }
  });
});
