import http from "node:http";
import { type FetchApp, type RunningServer, serve } from "@b24kit/app/node";
import { afterEach, describe, expect, it } from "vitest";
import { json } from "../src/core/responses.js";

/**
 * The runtime's JSON answers (`json()` in core/responses.ts) are Responses whose
 * body stream is built only if read (core/bytes-response.ts); the Node adapter
 * sends their bytes directly. They must still behave as real Responses.
 */

const BODY = { ok: true, name: "Сделка №5 — ünïcødé ✓ 😀", list: [1, 2, 3], nested: { a: null } };
const BODY_TEXT = JSON.stringify(BODY);
const BODY_BYTES = Buffer.byteLength(BODY_TEXT);

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("json(): a Response built lazily", () => {
  it("is a Response with status, ok, content-type, content-length and cache-control", () => {
    const res = json(201, BODY);
    expect(res).toBeInstanceOf(Response);
    expect(Object.prototype.toString.call(res)).toBe("[object Response]");
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-length")).toBe(String(BODY_BYTES));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(json(404, { error: "x" }).ok).toBe(false);
    expect(json(299, {}).ok).toBe(true);
    expect(json(300, {}).ok).toBe(false);
  });

  it("extra headers are added and override the defaults", () => {
    const res = json(200, {}, { "x-extra": "1", "cache-control": "max-age=5" });
    expect(res.headers.get("x-extra")).toBe("1");
    expect(res.headers.get("cache-control")).toBe("max-age=5");
  });

  it("reads as json(), text(), arrayBuffer() and through body", async () => {
    expect(await json(200, BODY).json()).toEqual(BODY);
    expect(await json(200, BODY).text()).toBe(BODY_TEXT);
    expect(Buffer.from(await json(200, BODY).arrayBuffer()).toString("utf8")).toBe(BODY_TEXT);
    const res = json(200, BODY);
    expect(res.bodyUsed).toBe(false);
    const body = res.body;
    expect(body).toBeInstanceOf(ReadableStream);
    expect(await new Response(body).text()).toBe(BODY_TEXT);
    expect(res.bodyUsed).toBe(true);
  });

  it("reads once, like a real Response", async () => {
    const res = json(200, BODY);
    await res.text();
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it("keeps status and headers once its body is read, and clones", async () => {
    const res = json(422, BODY, { "x-a": "b" });
    const copy = res.clone();
    expect(copy).toBeInstanceOf(Response);
    expect(await copy.json()).toEqual(BODY);
    expect(await res.text()).toBe(BODY_TEXT);
    expect(res.status).toBe(422);
    expect(res.statusText).toBe("");
    expect(res.headers.get("x-a")).toBe("b");
    expect(res.headers.get("content-length")).toBe(String(BODY_BYTES));
    expect(copy.status).toBe(422);
  });

  it("a header set before the body is built is kept by the built Response", async () => {
    const res = json(200, BODY);
    res.headers.set("x-late", "1");
    expect(await res.json()).toEqual(BODY);
    expect(res.headers.get("x-late")).toBe("1");
  });

  it("can be re-wrapped, as middleware does (new Response(res.body, res))", async () => {
    const res = json(418, BODY, { "x-a": "b" });
    const wrapped = new Response(res.body, res);
    expect(wrapped.status).toBe(418);
    expect(wrapped.headers.get("x-a")).toBe("b");
    expect(await wrapped.json()).toEqual(BODY);
  });

  it("refuses what new Response would", () => {
    expect(() => json(199, {})).toThrow(RangeError);
    expect(() => json(600, {})).toThrow(RangeError);
    expect(() => json(204, {})).toThrow(TypeError);
    expect(() => json(304, {})).toThrow(TypeError);
  });
});

describe("json() answers over real HTTP (serve())", () => {
  async function serveJson(answer: (request: Request) => Response): Promise<string> {
    const app: FetchApp = { fetch: async (request) => answer(request) };
    const server = await serve(app, { port: 0 });
    servers.push(server);
    return server.url;
  }

  it("arrive intact, non-ASCII included, with status and headers", async () => {
    const base = await serveJson(() => json(202, BODY, { "x-a": "b" }));
    const res = await fetch(`${base}/x`);
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-length")).toBe(String(BODY_BYTES));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-a")).toBe("b");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(Buffer.from(BODY_TEXT, "utf8"))).toBe(true);
    expect(JSON.parse(bytes.toString("utf8"))).toEqual(BODY);
  });

  it("a large body (pooled buffers aside) arrives byte for byte", async () => {
    const big = { items: Array.from({ length: 5000 }, (_, i) => ({ i, s: `Ж${i}✓` })) };
    const base = await serveJson(() => json(200, big));
    const res = await fetch(`${base}/big`);
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(Number(res.headers.get("content-length")));
    expect(JSON.parse(text)).toEqual(big);
  });

  it("many small answers in a row each carry exactly their own bytes", async () => {
    const base = await serveJson((request) => json(200, { path: new URL(request.url).pathname, é: "ü" }));
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => fetch(`${base}/n${i}`).then((r) => r.json())),
    );
    answers.forEach((answer, i) => {
      expect(answer).toEqual({ path: `/n${i}`, é: "ü" });
    });
  });

  it("a header the app sets after json() is sent", async () => {
    const base = await serveJson(() => {
      const res = json(200, BODY);
      res.headers.set("x-after", "yes");
      return res;
    });
    const res = await fetch(`${base}/x`);
    expect(res.headers.get("x-after")).toBe("yes");
    expect(await res.json()).toEqual(BODY);
  });

  it("an answer whose body the app already read is still sent whole", async () => {
    const base = await serveJson(() => {
      const res = json(200, BODY);
      // A wrapper that peeks at the body through a clone: the original's stream must still be sent.
      void res.clone().text();
      return res;
    });
    const res = await fetch(`${base}/x`);
    expect(await res.json()).toEqual(BODY);
  });

  it("HEAD gets the headers and no body", async () => {
    const base = await serveJson(() => json(200, BODY));
    const res = await rawHead(`${base}/x`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.body.length).toBe(0);
  });
});

function rawHead(
  target: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: "HEAD", path: url.pathname, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}
