import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, firstLine } from "./helpers.js";

// `b24kit emulator` checks its options where they come in: a bad one ends the command with a message
// naming the option and what it takes, before anything starts.
function refused(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(
    process.execPath,
    [bin, "emulator", "--ca-dir", process.env.B24KIT_TEST_CA_DIR!, ...args],
    {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 20_000,
    },
  );
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe("b24kit emulator refuses bad options with a message that names them", () => {
  it("an unknown plan", () => {
    const run = refused(["--port", "0", "--plan", "gold"]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/--plan.*gold.*free, basic, standard, professional, enterprise/s);
  });

  it("a host that is neither an address nor a name", () => {
    for (const host of ["256.1.1.1", "bad host", "-x"]) {
      const run = refused(["--port", "0", "--host", host]);
      expect(run.status, host).not.toBe(0);
      expect(run.stderr, host).toContain("--host must be an IP address");
    }
  });

  it("a port that is not one, from the option or from B24KIT_EMULATOR_PORT", () => {
    expect(refused(["--port", "70000"]).stderr).toContain(
      '--port must be a port number 0..65535 (0 picks a free one), got "70000"',
    );
    expect(refused(["--port", "x"]).stderr).toContain("--port must be a port number");
    const env = refused([], { B24KIT_EMULATOR_PORT: "abc" });
    expect(env.status).not.toBe(0);
    expect(env.stderr).toContain(
      'B24KIT_EMULATOR_PORT must be a port number 0..65535 (0 picks a free one), got "abc"',
    );
  });

  it("a handler CA file without a PEM certificate, or none at all", () => {
    const dir = mkdtempSync(join(tmpdir(), "b24kit-ca-"));
    const notPem = join(dir, "ca.txt");
    writeFileSync(notPem, "just some text\n");
    expect(refused(["--port", "0", "--require-https", "--handler-ca", notPem]).stderr).toContain(
      "holds no PEM certificate",
    );
    expect(refused(["--port", "0", "--handler-ca", join(dir, "missing.pem")]).stderr).toContain(
      "cannot read",
    );
  });

  it("a good plan is taken: the default portal is on it", async () => {
    const child = spawn(
      process.execPath,
      [bin, "emulator", "--port", "0", "--ca-dir", process.env.B24KIT_TEST_CA_DIR!, "--plan", "basic"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const ready = JSON.parse(await firstLine(child));
      expect(ready.portals[0].plan).toBe("basic");
      const hook = ready.portals[0].adminWebhookUrl as string;
      const answer = await fetch(`${hook}profile.json`);
      expect(answer.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
