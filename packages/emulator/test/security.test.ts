import { request as httpRequest } from "node:http";
import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

// The emulator listens on a developer's machine while they browse the web: every probe here is
// something any web page (or a rebound DNS name) could send it. Plain HTTP so headers can be forged.
const emu = await testEmulator({ http: true });
afterAll(() => emu.close());
const api = control(emu);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with headers fetch would not let a test set (Host) and a body of any size. */
function raw(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string | (() => Iterable<Buffer>);
  },
): Promise<Raw> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? "GET",
        headers: init.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    let answered = false;
    req.on("response", () => {
      answered = true;
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      // The server may answer and close before a huge body is through: that is the point.
      error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error),
    );
    // A connection that ends without an answer fails the test at once instead of hanging it.
    req.on("close", () => {
      if (!answered) reject(new Error(`${init.method ?? "GET"} ${url}: connection closed without an answer`));
    });
    const body = init.body;
    if (typeof body === "function") {
      (async () => {
        for (const chunk of body()) if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
        req.end();
      })().catch(() => {});
    } else req.end(body);
  });
}

/** `n` MiB of multipart file content, produced as it is sent. */
function* multipart(boundary: string, mib: number): Iterable<Buffer> {
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n`);
  const mebibyte = Buffer.alloc(1024 * 1024, 97);
  for (let i = 0; i < mib; i++) yield mebibyte;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

describe("security: probes a web page could send", () => {
  // ~90 MiB cross the loopback: a generous timeout for a busy CI machine.
  it("refuses a huge multipart POST to a made-up webhook before reading it, and caps real ones", {
    timeout: 120_000,
  }, async () => {
    const portal = await testPortal(emu);
    const base = new URL(portal.adminWebhookUrl);
    const boundary = "x".repeat(20);
    const headers = { "content-type": `multipart/form-data; boundary=${boundary}`, host: base.host };
    const madeUp = await raw(`${base.origin}/rest/1/not-a-webhook/crm.deal.add`, {
      method: "POST",
      headers,
      body: () => multipart(boundary, 20),
    });
    expect(madeUp.status).toBe(401);
    expect(JSON.parse(madeUp.text)).toMatchObject({ error: "NO_AUTH_FOUND" });
    // A real webhook gets the body limit (64 MiB), counted as the body streams in.
    const real = await raw(`${portal.adminWebhookUrl}crm.deal.add`, {
      method: "POST",
      headers,
      body: () => multipart(boundary, 70),
    });
    expect(real.status).toBe(413);
    // Still alive and answering.
    expect((await call(portal.adminWebhookUrl, "profile")).status).toBe(200);
  });

  it("answers a multipart body without a boundary with 400, not 500", async () => {
    const portal = await testPortal(emu);
    const res = await raw(`${portal.adminWebhookUrl}profile`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data", host: new URL(portal.adminWebhookUrl).host },
      body: "x=1",
    });
    expect(res.status).toBe(400);
  });

  it("refuses requests for any host name but its own (DNS rebinding), on every route", async () => {
    const host = `rebind.evil.example:${new URL(emu.url).port}`;
    const forged = { host, origin: `http://${host}`, "content-type": "application/json" };
    const register = await raw(`${emu.controlUrl}apps`, {
      method: "POST",
      headers: forged,
      body: JSON.stringify({ scopes: ["crm"] }),
    });
    expect(register.status).toBe(421);
    expect(register.text).not.toContain("clientSecret");
    for (const path of ["_emulator/portals", "crm/deal/list/", `rest/1/x/profile`]) {
      expect((await raw(`${emu.url}${path}`, { headers: { host } })).status).toBe(421);
    }
    // The emulator's own names still work.
    expect(
      (await raw(`${emu.controlUrl}portals`, { headers: { host: `localhost:${new URL(emu.url).port}` } }))
        .status,
    ).toBe(200);
  });

  it("refuses cross-site form posts to the portal's pages: no deal edited, no message, no install", async () => {
    const portal = await testPortal(emu);
    const deal = (await call(portal.adminWebhookUrl, "crm.deal.add", { fields: { TITLE: "Mine" } })).body
      .result;
    const page = new URL(portal.adminWebhookUrl).origin;
    const evil = {
      origin: "https://evil.example",
      "content-type": "application/x-www-form-urlencoded",
      host: new URL(page).host,
    };
    const edit = await raw(`${page}/crm/deal/details/${deal}/`, {
      method: "POST",
      headers: evil,
      body: "fields[TITLE]=Pwned",
    });
    expect(edit.status).toBe(403);
    expect((await call(portal.adminWebhookUrl, "crm.deal.get", { id: deal })).body.result.TITLE).toBe("Mine");
    const chat = await raw(`${page}/online/`, {
      method: "POST",
      headers: evil,
      body: "dialogId=1&message=hi",
    });
    expect(chat.status).toBe(403);
    const app = await api.registerApp({ scopes: ["crm"], local: false });
    const install = await raw(`${page}/marketplace/install/${app.clientId}/`, {
      method: "POST",
      headers: evil,
    });
    expect(install.status).toBe(403);
    // A visit another site makes (an <img>, a link) is marked by the browser and refused as well.
    const visit = await raw(`${page}/marketplace/install/${app.clientId}/`, {
      headers: { host: new URL(page).host, "sec-fetch-site": "cross-site" },
    });
    expect(visit.status).toBe(403);
    expect((await api.installation(portal.memberId, app.clientId)).installed).toBe(false);
    // Sandboxed pages send Origin: null.
    const sandboxed = await raw(`${page}/online/`, {
      method: "POST",
      headers: { ...evil, origin: "null" },
      body: "dialogId=1&message=hi",
    });
    expect(sandboxed.status).toBe(403);
  });

  it("keeps stats bounded whatever method names callers make up", async () => {
    const portal = await testPortal(emu);
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, `made.up.${i}`]));
    for (let batch = 0; batch < 25; batch++) {
      const names = Object.fromEntries(Object.entries(cmd).map(([k, v]) => [k, `${v}.${batch}`]));
      await call(portal.adminWebhookUrl, "batch", { cmd: names });
    }
    await call(portal.adminWebhookUrl, "__proto__");
    const stats = await api.stats(portal.memberId);
    expect(Object.keys(stats.byMethod).length).toBeLessThanOrEqual(1001);
    expect(stats.byMethod["(other methods)"]).toBeGreaterThan(0);
  });

  it("does not answer 500 to prototype names or take a back link off the site", async () => {
    const portal = await testPortal(emu);
    const page = new URL(portal.adminWebhookUrl).origin;
    const host = new URL(page).host;
    expect((await raw(`${page}/_portal/assets/__proto__`, { headers: { host } })).status).toBe(404);
    expect((await raw(`${page}/_portal/assets/constructor`, { headers: { host } })).status).toBe(404);
    const back = await raw(`${page}/_portal/ui-user`, {
      method: "POST",
      headers: { host, "content-type": "application/x-www-form-urlencoded" },
      body: `userId=1&back=${encodeURIComponent("/\\evil.example/")}`,
    });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe("/");
  });

  it("does not echo a client secret sent to a wrong token path", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["crm"] });
    const res = await raw(
      `${emu.url}oauth/token?grant_type=refresh_token&client_secret=${app.clientSecret}`,
      {
        headers: { host: new URL(emu.url).host },
      },
    );
    expect(res.text).not.toContain(app.clientSecret);
  });
});
