import type { AddressInfo } from "node:net";
import { type FetchApp, fetchAppPlugin, sendWebResponse, toWebRequest } from "@b24kit/app/node";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";

/** Answers with what it received: URL and raw body text. */
const echoApp: FetchApp = {
  async fetch(request, env) {
    return Response.json({
      method: request.method,
      url: request.url,
      body: await request.text(),
      clientAddress: env?.clientAddress,
    });
  },
};

let servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function listen(fastify: FastifyInstance): Promise<string> {
  servers.push(fastify);
  await fastify.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
}

describe("fetchAppPlugin: the app inside a Fastify server of your own", () => {
  it("serves the app under a prefix with raw bodies, while your routes keep Fastify's parsers", async () => {
    const fastify = Fastify();
    fastify.post("/api/echo", async (request) => ({ parsed: request.body }));
    await fastify.register(fetchAppPlugin, { app: echoApp, prefix: "/b24" });
    const base = await listen(fastify);

    const form = "auth[member_id]=abc&data[FIELDS][ID]=5";
    const install = await fetch(`${base}/b24/install?DOMAIN=a.example`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(await install.json()).toEqual({
      method: "POST",
      url: `${base}/b24/install?DOMAIN=a.example`,
      body: form,
      clientAddress: "127.0.0.1",
    });
    const bare = (await (await fetch(`${base}/b24`)).json()) as { url: string };
    expect(bare.url).toBe(`${base}/b24`);
    const jsonBody = '{"kept":  "as sent"}';
    const raw = (await (
      await fetch(`${base}/b24/api`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: jsonBody,
      })
    ).json()) as { body: string };
    expect(raw.body).toBe(jsonBody);

    const own = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await own.json()).toEqual({ parsed: { a: 1 } });
    // Outside the prefix the app is not consulted.
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it("applies its own body limit in its scope only", async () => {
    const fastify = Fastify({ bodyLimit: 10 * 1024 });
    fastify.post("/api/text", async () => ({ ok: true }));
    await fastify.register(fetchAppPlugin, { app: echoApp, prefix: "/b24", bodyLimitBytes: 100 });
    const base = await listen(fastify);
    const post = (path: string, size: number) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pad: "x".repeat(size) }),
      });
    expect((await post("/b24/event", 50)).status).toBe(200);
    expect((await post("/b24/event", 500)).status).toBe(413);
    expect((await post("/api/text", 500)).status).toBe(200);
  });

  it("gives toWebRequest/sendWebResponse for hand-written routes, and refuses a body already parsed", async () => {
    const fastify = Fastify();
    fastify.get("/hand/*", async (request, reply) => {
      const web = toWebRequest(request);
      const headers = new Headers({ "x-path": new URL(web.url).pathname });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return sendWebResponse(reply, new Response("hand-made", { status: 202, headers }));
    });
    // Fastify's JSON parser already consumed this body: the raw bytes are gone.
    fastify.post("/parsed", async (request) => {
      try {
        toWebRequest(request);
        return { refused: false };
      } catch (error) {
        return { refused: true, message: (error as Error).message };
      }
    });
    const base = await listen(fastify);
    const res = await fetch(`${base}/hand/x?y=1`);
    expect(res.status).toBe(202);
    expect(res.headers.get("x-path")).toBe("/hand/x");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.text()).toBe("hand-made");
    const parsed = (await (
      await fetch(`${base}/parsed`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as { refused: boolean; message: string };
    expect(parsed.refused).toBe(true);
    expect(parsed.message).toContain("fetchAppPlugin");
  });
});
