import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { bin, firstLine } from "./helpers.js";

describe("b24kit emulator", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill("SIGTERM");
  });

  it("prints the contract's ready line and serves the default portal's admin webhook over HTTPS", async () => {
    const child = spawn(
      process.execPath,
      [bin, "emulator", "--port", "0", "--ca-dir", process.env.B24KIT_TEST_CA_DIR!],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.push(child);
    const ready = JSON.parse(await firstLine(child));
    expect(Object.keys(ready)).toEqual(["ready", "url", "controlUrl", "caFile", "portals"]);
    expect(ready.ready).toBe(true);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.controlUrl).toBe(`${ready.url}_emulator/`);
    expect(ready.caFile).toBe(process.env.NODE_EXTRA_CA_CERTS);
    const [portal] = ready.portals;
    expect(Object.keys(portal)).toEqual(["memberId", "domain", "plan", "clientEndpoint", "adminWebhookUrl"]);
    expect(portal.memberId).toMatch(/^[0-9a-f]{32}$/);
    expect(portal.domain).toBe(new URL(ready.url).host);
    expect(portal.plan).toBe("professional");
    expect(portal.clientEndpoint).toBe(`${ready.url}rest/`);
    expect(portal.adminWebhookUrl).toMatch(new RegExp(`^${ready.url}rest/1/[a-z0-9]{16}/$`));

    const res = await fetch(`${portal.adminWebhookUrl}profile`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).result.ADMIN).toBe(true);

    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("serves plain HTTP with --http", async () => {
    const child = spawn(process.execPath, [bin, "emulator", "--port", "0", "--http"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    const ready = JSON.parse(await firstLine(child));
    expect(ready.url).toMatch(/^http:\/\//);
    expect(ready.caFile).toBeNull();
    const res = await fetch(`${ready.portals[0].adminWebhookUrl}server.time`);
    expect(res.status).toBe(200);
  });

  it("rejects a bad --port with a clear message", async () => {
    const child = spawn(process.execPath, [bin, "emulator", "--port", "99999"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("--port must be a port number 0..65535");
  });
});
