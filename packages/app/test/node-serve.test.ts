import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type FetchApp, type FetchEnv, type RunningServer, serve } from "@b24kit/app/node";
import { ensureLocalCa, issueServerCertificate } from "@b24kit/emulator";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";

/** What the echo app saw: enough to check the adapter changed nothing on the way in. */
interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  clientAddress: string | undefined;
  body: string;
}

/** Answers every request with what it received (body as base64). */
function echoApp(calls: Echo[] = []): FetchApp {
  return {
    async fetch(request: Request, env?: FetchEnv) {
      const body = Buffer.from(await request.arrayBuffer()).toString("base64");
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const echo: Echo = {
        method: request.method,
        url: request.url,
        headers,
        clientAddress: env?.clientAddress,
        body,
      };
      calls.push(echo);
      return Response.json(echo, { headers: { "x-echo": "1" } });
    },
  };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with full control over Host, method and body framing (fetch forbids some of it). */
function rawRequest(
  base: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    ca?: string;
  },
): Promise<RawResponse> {
  const url = new URL(base);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
        agent: false,
        ...(options.ca && { ca: options.ca }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const json = <T>(r: RawResponse) => JSON.parse(r.body.toString("utf8")) as T;

let running: RunningServer[] = [];
async function start(app: FetchApp, options: Omit<Parameters<typeof serve>[1], "port"> = {}) {
  const server = await serve(app, { port: 0, ...options });
  running.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

describe("serve(): requests reach app.fetch as they were sent", () => {
  it("forwards method, absolute URL, headers and the client address", async () => {
    const server = await start(echoApp());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/deep/path?DOMAIN=acme.bitrix24.com&x=1`, {
      headers: { "x-custom": "yes" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-echo")).toBe("1");
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({
      method: "GET",
      url: `http://127.0.0.1:${server.port}/deep/path?DOMAIN=acme.bitrix24.com&x=1`,
      clientAddress: "127.0.0.1",
      body: "",
    });
    expect(echo.headers["x-custom"]).toBe("yes");
    expect(echo.headers.connection).toBeUndefined();
    const root = (await (await fetch(`${server.url}/`)).json()) as Echo;
    expect(root.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it("passes every method, and the raw body bytes untouched whatever the content type", async () => {
    const calls: Echo[] = [];
    const server = await start(echoApp(calls));
    const form = "data[FIELDS][ID]=5&auth[member_id]=abc&auth[application_token]=t%20k";
    const jsonText = '{"a":1,   "b":[2, 3]}';
    const binary = randomBytes(4096);
    const cases: Array<{ method: string; type?: string; body: Buffer }> = [
      { method: "POST", type: "application/x-www-form-urlencoded", body: Buffer.from(form) },
      { method: "PUT", type: "application/json", body: Buffer.from(jsonText) },
      { method: "PATCH", type: "application/octet-stream", body: binary },
      { method: "DELETE", type: "text/plain; charset=windows-1251", body: Buffer.from([0xcf, 0xf0, 0xe8]) },
      { method: "POST", type: "multipart/form-data; boundary=xyz", body: Buffer.from("--xyz--\r\n") },
      { method: "POST", body: Buffer.from("no content type at all") },
      { method: "OPTIONS", body: Buffer.alloc(0) },
    ];
    for (const c of cases) {
      const headers: Record<string, string> = { "content-length": String(c.body.length) };
      if (c.type) headers["content-type"] = c.type;
      const res = await rawRequest(server.url, { method: c.method, path: "/event", headers, body: c.body });
      expect(res.status, c.method).toBe(200);
      const echo = json<Echo>(res);
      expect(echo.method).toBe(c.method);
      expect(Buffer.from(echo.body, "base64").equals(c.body), `${c.method} ${c.type}`).toBe(true);
      if (c.type) expect(echo.headers["content-type"]).toBe(c.type);
    }
    // A chunked body arrives whole, without the hop-by-hop framing header.
    const chunked = await rawRequest(server.url, {
      method: "POST",
      path: "/event",
      headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      body: form,
    });
    const echo = json<Echo>(chunked);
    expect(Buffer.from(echo.body, "base64").toString()).toBe(form);
    expect(echo.headers["transfer-encoding"]).toBeUndefined();
    expect(calls).toHaveLength(cases.length + 1);
  });

  it("answers HEAD with the app's headers and no body", async () => {
    const app: FetchApp = {
      fetch: async () => new Response("twelve bytes", { headers: { "content-length": "12", "x-h": "1" } }),
    };
    const server = await start(app);
    const res = await rawRequest(server.url, { method: "HEAD", path: "/" });
    expect(res.status).toBe(200);
    expect(res.headers["x-h"]).toBe("1");
    expect(res.headers["content-length"]).toBe("12");
    expect(res.body.length).toBe(0);
  });

  it("keeps a path that looks like another origin on this host", async () => {
    const server = await start(echoApp());
    const res = await rawRequest(server.url, { path: "//evil.example/x?y=1" });
    const echo = json<Echo>(res);
    const url = new URL(echo.url);
    expect(url.host).toBe(`127.0.0.1:${server.port}`);
    expect(url.pathname).toBe("//evil.example/x");
  });

  it("refuses a Host header that is not a host, without calling the app", async () => {
    const calls: Echo[] = [];
    const server = await start(echoApp(calls));
    for (const host of ["evil.example/path", "user@evil.example", "a b"]) {
      const res = await rawRequest(server.url, { headers: { host } });
      expect(res.status, host).toBe(400);
    }
    expect(calls).toHaveLength(0);
  });
});

describe("serve(): reverse proxy headers", () => {
  const proxied = {
    host: "internal:8080",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "app.example.com",
    "x-forwarded-for": "203.0.113.7, 10.0.0.2",
  };

  it("ignores X-Forwarded-* without trustProxy", async () => {
    const server = await start(echoApp());
    const echo = json<Echo>(await rawRequest(server.url, { path: "/install?x=1", headers: proxied }));
    expect(echo.url).toBe("http://internal:8080/install?x=1");
    expect(echo.clientAddress).toBe("127.0.0.1");
  });

  it("takes scheme, host and the first hop's address from them with trustProxy", async () => {
    const server = await start(echoApp(), { trustProxy: true });
    const echo = json<Echo>(await rawRequest(server.url, { path: "/install?x=1", headers: proxied }));
    expect(echo.url).toBe("https://app.example.com/install?x=1");
    expect(echo.clientAddress).toBe("203.0.113.7");
    // Without the headers, the socket still decides.
    const direct = json<Echo>(await rawRequest(server.url, { path: "/" }));
    expect(direct.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(direct.clientAddress).toBe("127.0.0.1");
  });

  it("ignores them from a peer outside the trusted ranges", async () => {
    const server = await start(echoApp(), { trustProxy: "10.0.0.0/8" });
    const echo = json<Echo>(await rawRequest(server.url, { path: "/", headers: proxied }));
    expect(echo.url).toBe("http://internal:8080/");
    expect(echo.clientAddress).toBe("127.0.0.1");
  });

  it("does not build URLs from a junk forwarded scheme or host", async () => {
    const server = await start(echoApp(), { trustProxy: true });
    const scheme = json<Echo>(
      await rawRequest(server.url, { headers: { "x-forwarded-proto": "javascript", host: "a.example" } }),
    );
    expect(scheme.url).toBe("http://a.example/");
    const res = await rawRequest(server.url, { headers: { "x-forwarded-host": "evil.example/x?" } });
    expect(res.status).toBe(400);
  });
});

describe("serve(): request body limit", () => {
  it("answers 413 past the limit (Content-Length or chunked) and never calls the app", async () => {
    const calls: Echo[] = [];
    const server = await start(echoApp(calls), { bodyLimitBytes: 1024 });
    const atLimit = await rawRequest(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.alloc(1024, 0x61),
    });
    expect(atLimit.status).toBe(200);
    const over = await rawRequest(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.alloc(1025, 0x61),
    });
    expect(over.status).toBe(413);
    const overChunked = await rawRequest(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      body: Buffer.alloc(5000, 0x61),
    });
    expect(overChunked.status).toBe(413);
    expect(calls).toHaveLength(1);
  });

  it("stops a huge streamed upload early instead of reading it all", async () => {
    const server = await start(echoApp(), { bodyLimitBytes: 64 * 1024 });
    const total = 512 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    const url = new URL(server.url);
    const result = await new Promise<{ status: number | undefined; sent: number }>((resolve) => {
      let sent = 0;
      let status: number | undefined;
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve({ status, sent });
        }
      };
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/upload",
          agent: false,
          headers: { "content-type": "application/octet-stream", "transfer-encoding": "chunked" },
        },
        (res) => {
          status = res.statusCode;
          res.resume();
          req.destroy();
          finish();
        },
      );
      req.on("error", finish);
      const pump = () => {
        while (!done && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!done) req.end();
      };
      pump();
    });
    // Either the 413 arrived or the server cut the connection; both long before 512 MiB went through.
    if (result.status !== undefined) expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(total / 4);
  });
});

describe("serve(): responses", () => {
  it("sends status, headers and every Set-Cookie as its own line", async () => {
    const app: FetchApp = {
      async fetch(request) {
        const path = new URL(request.url).pathname;
        if (path === "/created") {
          const headers = new Headers({ "content-type": "text/plain", "x-one": "1" });
          headers.append("set-cookie", "a=1; Path=/; HttpOnly");
          headers.append("set-cookie", "b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT");
          return new Response("made", { status: 201, headers });
        }
        if (path === "/empty") return new Response(null, { status: 204 });
        return new Response(null, { status: 302, headers: { location: "/elsewhere" } });
      },
    };
    const server = await start(app);
    const created = await rawRequest(server.url, { path: "/created" });
    expect(created.status).toBe(201);
    expect(created.body.toString()).toBe("made");
    expect(created.headers["content-type"]).toBe("text/plain");
    expect(created.headers["x-one"]).toBe("1");
    expect(created.headers["set-cookie"]).toEqual([
      "a=1; Path=/; HttpOnly",
      "b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT",
    ]);
    const empty = await rawRequest(server.url, { path: "/empty" });
    expect(empty.status).toBe(204);
    expect(empty.body.length).toBe(0);
    const moved = await fetch(`${server.url}/moved`, { redirect: "manual" });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("/elsewhere");
  });

  it("sends a small body with a declared length in one piece, not chunked", async () => {
    const app: FetchApp = {
      fetch: async () =>
        new Response('{"ok":true}', {
          headers: { "content-type": "application/json", "content-length": "11" },
        }),
    };
    const server = await start(app);
    const res = await fetch(server.url);
    expect(res.headers.get("content-length")).toBe("11");
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(await res.text()).toBe('{"ok":true}');
  });

  it("streams: the client gets the first chunk before the app has written the rest", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app: FetchApp = {
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode("first;"));
              await released;
              controller.enqueue(new TextEncoder().encode("second"));
              controller.close();
            },
          }),
          { headers: { "content-type": "text/plain" } },
        ),
    };
    const server = await start(app);
    const res = await fetch(server.url);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("second");
  });

  it("streams a large body intact, produced only as fast as the client reads", async () => {
    const chunkSize = 64 * 1024;
    const chunks = 512; // 32 MiB
    let produced = 0;
    const sent = createHash("sha256");
    const app: FetchApp = {
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              if (produced === chunks) return controller.close();
              const chunk = randomBytes(chunkSize);
              sent.update(chunk);
              controller.enqueue(chunk);
              produced++;
            },
          }),
        ),
    };
    const server = await start(app);
    const res = await fetch(server.url);
    const reader = res.body!.getReader();
    const received = createHash("sha256");
    let bytes = 0;
    const first = await reader.read();
    // Socket and stream buffers hold a few MiB at most; the rest waits for the reader.
    expect(produced).toBeLessThan(chunks / 2);
    for (let r = first; !r.done; r = await reader.read()) {
      received.update(r.value);
      bytes += r.value.length;
    }
    expect(produced).toBe(chunks);
    expect(bytes).toBe(chunkSize * chunks);
    expect(received.digest("hex")).toBe(sent.digest("hex"));
  });

  it("aborts the request's signal when the client goes away", async () => {
    let called!: () => void;
    const wasCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    let aborted!: () => void;
    const wasAborted = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const app: FetchApp = {
      fetch: (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener("abort", () => {
            aborted();
            resolve(new Response("late"));
          });
          called();
        }),
    };
    // The client's pool may open a spare connection after the abort and leave it idle; don't wait on it.
    const server = await start(app, { shutdownTimeoutMs: 100 });
    const client = new AbortController();
    const pending = fetch(server.url, { signal: client.signal }).catch((e: unknown) => e);
    await wasCalled;
    client.abort();
    await wasAborted;
    expect(await pending).toBeInstanceOf(Error);
  });

  it("answers 500 without the error's details, and logs them redacted", async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: "info" },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    );
    const app: FetchApp = {
      async fetch(request) {
        if (new URL(request.url).pathname === "/boom")
          throw new Error("GET https://acme.bitrix24.com/rest/crm.deal.list?auth=SECRET-ACCESS-TOKEN failed");
        return new Response("ok");
      },
    };
    const server = await start(app, { logger });
    const res = await rawRequest(server.url, { path: "/boom" });
    expect(res.status).toBe(500);
    expect(res.body.toString()).toBe("Internal Server Error");
    const ok = await rawRequest(server.url, {
      path: "/oauth/callback?code=ONE-TIME-CODE&state=s1&domain=a.b",
    });
    expect(ok.status).toBe(200);
    const log = lines.join("");
    expect(log).toContain("The app failed to answer a request");
    expect(log).toContain("auth=[redacted]");
    expect(log).toContain("/oauth/callback?code=[redacted]&state=s1");
    expect(log).not.toContain("SECRET-ACCESS-TOKEN");
    expect(log).not.toContain("ONE-TIME-CODE");
  });
});

describe("serve(): HTTPS and shutdown", () => {
  it("terminates TLS with the given certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "b24kit-node-tls-"));
    try {
      const ca = ensureLocalCa(dir);
      const cert = issueServerCertificate(ca, ["127.0.0.1", "localhost"]);
      const server = await start(echoApp(), { tls: { cert: cert.certPem, key: Buffer.from(cert.keyPem) } });
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
      const res = await rawRequest(server.url, { path: "/secure?x=1", ca: ca.certPem });
      expect(res.status).toBe(200);
      expect(json<Echo>(res).url).toBe(`https://127.0.0.1:${server.port}/secure?x=1`);
      // A client that does not trust the CA refuses the connection.
      const otherCa = ensureLocalCa(join(dir, "other"));
      await expect(rawRequest(server.url, { ca: otherCa.certPem })).rejects.toThrow();
      // And the port does not speak plain HTTP.
      await expect(rawRequest(server.url.replace("https:", "http:"), {})).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("closes gracefully: a request in flight completes, then the port is shut", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let called!: () => void;
    const wasCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const app: FetchApp = {
      async fetch() {
        called();
        await released;
        return new Response("finished");
      },
    };
    const server = await serve(app, { port: 0 });
    const inFlight = rawRequest(server.url, { path: "/slow" });
    await wasCalled;
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    // Still open while the request runs.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("finished");
    await closing;
    await expect(rawRequest(server.url, {})).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("cuts connections that hold up close() for longer than shutdownTimeoutMs", async () => {
    let called!: () => void;
    const wasCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const stuck: FetchApp = {
      fetch: (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 })));
          called();
        }),
    };
    const server = await serve(stuck, { port: 0, shutdownTimeoutMs: 300 });
    // A client whose request never gets an answer, and which never reads nor closes.
    const socket = connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.pause();
    socket.write("GET /forever HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await wasCalled;
    const started = performance.now();
    await server.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(8000);
    // The server's end is gone: reading now finds the end of the stream.
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.resume();
    await ended;
  });
});
