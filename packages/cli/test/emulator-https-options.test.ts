import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { bin, firstLine } from "./helpers.js";

describe("b24kit emulator --require-https --handler-ca", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill("SIGTERM");
  });

  it("sets requireHttpsHandlers and the handler CA bundle, and event.bind then refuses http handlers", async () => {
    const caFile = process.env.NODE_EXTRA_CA_CERTS!;
    const child = spawn(
      process.execPath,
      [
        bin,
        "emulator",
        "--port",
        "0",
        "--ca-dir",
        process.env.B24KIT_TEST_CA_DIR!,
        "--require-https",
        "--handler-ca",
        caFile,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    const ready = JSON.parse(await firstLine(child));
    const settings = await (await fetch(`${ready.controlUrl}settings`)).json();
    expect(settings.requireHttpsHandlers).toBe(true);
    expect(settings.handlerCaBundle).toBe(readFileSync(caFile, "utf8"));

    const app = await (
      await fetch(`${ready.controlUrl}apps`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scopes: ["crm"] }),
      })
    ).json();
    const install = await (
      await fetch(`${ready.controlUrl}portals/${ready.portals[0].memberId}/install`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientId: app.clientId }),
      })
    ).json();
    const bind = await fetch(`${install.auth.client_endpoint}event.bind`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: install.auth.access_token,
        event: "ONCRMDEALUPDATE",
        handler: "http://127.0.0.1:9/hook",
      }),
    });
    expect((await bind.json()).error).toBe("ERROR_UNSUPPORTED_PROTOCOL");
  });
});
