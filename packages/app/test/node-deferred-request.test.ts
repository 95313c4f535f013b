import http from "node:http";
import { type FetchApp, type RunningServer, serve } from "@b24kit/app/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** Defines the test only where it applies (not a skip: the other mode has no such behaviour). */
const itUnless = (condition: boolean) => (condition ? () => {} : it);

/**
 * The Request `serve()`/`fetchAppPlugin` hands the app is built lazily
 * (node/deferred-request.ts): these tests hold it to what a real Request does,
 * through a real server and real HTTP.
 */

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Which Request the adapter builds: deferred for the runtime (readsRawBody), a real one for any other app. */
let runtimeLike = false;

async function serveApp(handler: (request: Request) => Promise<Response>): Promise<string> {
  const app: FetchApp = {
    fetch: (request) => handler(request),
    ...(runtimeLike ? { readsRawBody: true } : {}),
  };
  const server = await serve(app, { port: 0, shutdownTimeoutMs: 500 });
  servers.push(server);
  return server.url;
}

/** A promise with its resolver outside (what the handler reports to the test). */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const FORM = "auth%5Bmember_id%5D=abc&data%5BFIELDS%5D%5BID%5D=5&name=%D0%AF%20%E2%9C%93";

for (const mode of [
  "the runtime (readsRawBody: built on demand)",
  "any other app (a real Request)",
] as const) {
  describe(`the Request the Node adapter hands ${mode}`, () => {
    const deferredMode = mode.startsWith("the runtime");
    beforeEach(() => {
      runtimeLike = deferredMode;
    });

    it("is a Request, with the method, URL and headers the client sent", async () => {
      const seen = deferred<Record<string, unknown>>();
      const base = await serveApp(async (request) => {
        const headers: Record<string, string> = {};
        request.headers.forEach((value, name) => {
          headers[name] = value;
        });
        seen.resolve({
          isRequest: request instanceof Request,
          tag: Object.prototype.toString.call(request),
          method: request.method,
          url: request.url,
          headers,
          sameHeaders: Object.is(request.headers, request.headers),
          bodyUsed: request.bodyUsed,
        });
        return new Response("ok");
      });
      const response = await fetch(`${base}/b24/events?x=1&y=%C3%A9`, {
        method: "PATCH",
        headers: { "x-one": "1", "X-Two": "two", "content-type": "text/plain" },
        body: "hello",
      });
      expect(response.status).toBe(200);
      const got = await seen.promise;
      expect(got.isRequest).toBe(true);
      expect(got.tag).toBe("[object Request]");
      expect(got.method).toBe("PATCH");
      expect(got.url).toBe(`${base}/b24/events?x=1&y=%C3%A9`);
      expect(got.headers).toMatchObject({ "x-one": "1", "x-two": "two", "content-type": "text/plain" });
      // Hop-by-hop headers are not handed on.
      expect(got.headers).not.toHaveProperty("connection");
      expect(got.sameHeaders).toBe(true);
      expect(got.bodyUsed).toBe(false);
    });

    // The runtime reads the body the adapter hands it (env.rawBody); its Request carries none.
    itUnless(deferredMode)("reads a form body as text, arrayBuffer and formData", async () => {
      const seen = deferred<{
        text: string;
        bytes: string;
        form: Array<[string, string]>;
        used: boolean[];
      }>();
      const base = await serveApp(async (request) => {
        const a = request.clone();
        const b = request.clone();
        const used = [request.bodyUsed];
        const text = await request.text();
        used.push(request.bodyUsed, a.bodyUsed);
        const bytes = Buffer.from(await a.arrayBuffer()).toString("utf8");
        const form: Array<[string, string]> = [];
        (await b.formData()).forEach((value, name) => {
          form.push([name, String(value)]);
        });
        seen.resolve({ text, bytes, form, used });
        return new Response(null, { status: 204 });
      });
      const response = await fetch(`${base}/b24/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: FORM,
      });
      expect(response.status).toBe(204);
      const got = await seen.promise;
      expect(got.text).toBe(FORM);
      expect(got.bytes).toBe(FORM);
      expect(got.form).toEqual([
        ["auth[member_id]", "abc"],
        ["data[FIELDS][ID]", "5"],
        ["name", "Я ✓"],
      ]);
      expect(got.used).toEqual([false, true, false]);
    });

    // The runtime reads the body the adapter hands it (env.rawBody); its Request carries none.
    itUnless(deferredMode)(
      "each body reader works on a request of its own, and the body reads once",
      async () => {
        const base = await serveApp(async (request) => {
          const url = new URL(request.url);
          const how = url.searchParams.get("how");
          let out: unknown;
          if (how === "text") out = await request.text();
          else if (how === "arrayBuffer") out = Buffer.from(await request.arrayBuffer()).toString("utf8");
          else if (how === "formData") {
            const fields: Record<string, string> = {};
            (await request.formData()).forEach((value, name) => {
              fields[name] = String(value);
            });
            out = fields;
          } else if (how === "json") out = await request.json();
          else if (how === "body") out = await new Response(request.body).text();
          const again = await request.text().then(
            () => "read again",
            (error: unknown) => (error instanceof TypeError ? "TypeError" : String(error)),
          );
          return Response.json({ out, again, used: request.bodyUsed });
        });
        const post = (how: string, body: string, type: string) =>
          fetch(`${base}/x?how=${how}`, { method: "POST", headers: { "content-type": type }, body }).then(
            (r) => r.json(),
          );
        const form = "application/x-www-form-urlencoded";
        expect(await post("text", FORM, form)).toEqual({ out: FORM, again: "TypeError", used: true });
        expect(await post("arrayBuffer", FORM, form)).toEqual({ out: FORM, again: "TypeError", used: true });
        expect(await post("formData", "a=1&b=%C3%A9", form)).toEqual({
          out: { a: "1", b: "é" },
          again: "TypeError",
          used: true,
        });
        expect(await post("json", '{"k":[1,"ü"]}', "application/json")).toEqual({
          out: { k: [1, "ü"] },
          again: "TypeError",
          used: true,
        });
        expect(await post("body", "raw-stream", "text/plain")).toEqual({
          out: "raw-stream",
          again: "TypeError",
          used: true,
        });
      },
    );

    it("a GET has no body; a clone keeps method, URL and headers", async () => {
      const seen = deferred<Record<string, unknown>>();
      const base = await serveApp(async (request) => {
        const copy = request.clone();
        seen.resolve({
          body: request.body,
          text: await request.text(),
          cloneIsRequest: copy instanceof Request,
          cloneMethod: copy.method,
          cloneUrl: copy.url,
          cloneHeader: copy.headers.get("x-trace"),
          original: { method: request.method, url: request.url, header: request.headers.get("x-trace") },
        });
        return new Response("ok");
      });
      await (await fetch(`${base}/page?id=7`, { headers: { "x-trace": "t-1" } })).text();
      const got = await seen.promise;
      expect(got).toEqual({
        body: null,
        text: "",
        cloneIsRequest: true,
        cloneMethod: "GET",
        cloneUrl: `${base}/page?id=7`,
        cloneHeader: "t-1",
        original: { method: "GET", url: `${base}/page?id=7`, header: "t-1" },
      });
    });

    it("the signal is an AbortSignal, not aborted while the client waits for the answer", async () => {
      const seen = deferred<{
        isSignal: boolean;
        aborted: boolean;
        same: boolean;
        abortedAfterRead: boolean;
      }>();
      const base = await serveApp(async (request) => {
        const signal = request.signal;
        await request.text(); // builds the real Request: the signal must stay the same, live one
        seen.resolve({
          isSignal: signal instanceof AbortSignal,
          aborted: signal.aborted,
          same: request.signal === signal,
          abortedAfterRead: request.signal.aborted,
        });
        return new Response("ok");
      });
      await (await fetch(`${base}/x`, { method: "POST", body: "a" })).text();
      expect(await seen.promise).toEqual({
        isSignal: true,
        aborted: false,
        same: true,
        abortedAfterRead: false,
      });
    });

    it("the signal aborts when the client disconnects mid-request", async () => {
      const entered = deferred<void>();
      const outcome = deferred<{ aborted: boolean }>();
      const base = await serveApp(async (request) => {
        // The signal is read before the client leaves; no real Request is built.
        const signal = request.signal;
        entered.resolve();
        await Promise.race([
          new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
          new Promise<void>((resolve) => setTimeout(resolve, 3000)),
        ]);
        outcome.resolve({ aborted: signal.aborted });
        return new Response("late");
      });
      const started = Date.now();
      const req = abandon(base, "/plain", entered.promise);
      await req;
      const got = await outcome.promise;
      expect(got.aborted).toBe(true);
      expect(Date.now() - started).toBeLessThan(2500);
    });

    it("a Request built before the disconnect (clone) sees the abort too", async () => {
      const entered = deferred<void>();
      const outcome = deferred<{ aborted: boolean; cloneAborted: boolean }>();
      const base = await serveApp(async (request) => {
        const copy = request.clone();
        entered.resolve();
        await Promise.race([
          new Promise<void>((resolve) =>
            request.signal.addEventListener("abort", () => resolve(), { once: true }),
          ),
          new Promise<void>((resolve) => setTimeout(resolve, 3000)),
        ]);
        // Let the follow (real Request, then its clone) run.
        await new Promise((resolve) => setTimeout(resolve, 20));
        outcome.resolve({ aborted: request.signal.aborted, cloneAborted: copy.signal.aborted });
        return new Response("late");
      });
      await abandon(base, "/built", entered.promise);
      expect(await outcome.promise).toEqual({ aborted: true, cloneAborted: true });
    });

    it("a signal first read after the client already left is aborted at once", async () => {
      const entered = deferred<void>();
      const outcome = deferred<{ aborted: boolean; events: number }>();
      const base = await serveApp(async (request) => {
        entered.resolve();
        // Do not touch request.signal until the client is long gone.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const signal = request.signal;
        let events = 0;
        signal.addEventListener("abort", () => {
          events += 1;
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        outcome.resolve({ aborted: signal.aborted, events });
        return new Response("late");
      });
      await abandon(base, "/late", entered.promise);
      const got = await outcome.promise;
      expect(got.aborted).toBe(true);
      expect(got.events).toBe(0); // already aborted when handed out, no event fires later
    });

    it("a signal first read after the client already left aborts fetches made with it", async () => {
      const entered = deferred<void>();
      const outcome = deferred<string>();
      const base = await serveApp(async (request) => {
        if (new URL(request.url).pathname === "/slow") {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          return new Response("slow");
        }
        entered.resolve();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const result = await fetch(`${new URL(request.url).origin}/slow`, { signal: request.signal }).then(
          () => "fetched",
          (error: unknown) => (error instanceof Error ? error.name : String(error)),
        );
        outcome.resolve(result);
        return new Response("late");
      });
      await abandon(base, "/first", entered.promise);
      expect(await outcome.promise).toBe("AbortError");
    });

    // The runtime reads the body the adapter hands it (env.rawBody); its Request carries none.
    itUnless(deferredMode)(
      "can be wrapped again as a web Request (new Request(request, init)), as proxies and routers do",
      async () => {
        const seen = deferred<Record<string, unknown>>();
        const base = await serveApp(async (request) => {
          const outcome: Record<string, unknown> = {};
          try {
            const copy = new Request(request, { headers: { "x-added": "1" } });
            outcome.url = copy.url;
            outcome.method = copy.method;
            outcome.header = copy.headers.get("x-added");
            outcome.body = await copy.text();
          } catch (error) {
            outcome.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          }
          seen.resolve(outcome);
          return new Response("ok");
        });
        await (await fetch(`${base}/wrap`, { method: "POST", body: "payload" })).text();
        expect(await seen.promise).toEqual({
          url: `${base}/wrap`,
          method: "POST",
          header: "1",
          body: "payload",
        });
      },
    );

    it("a request answered normally never aborts its signal (even read after the answer)", async () => {
      let kept: AbortSignal | undefined;
      const base = await serveApp(async (request) => {
        kept = request.signal;
        return new Response("done");
      });
      expect(await (await fetch(`${base}/ok`)).text()).toBe("done");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(kept?.aborted).toBe(false);
    });
  });
}

/** Sends a POST, waits until the handler has it, then destroys the connection without reading an answer. */
async function abandon(base: string, path: string, entered: Promise<void>): Promise<void> {
  const url = new URL(base);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    method: "POST",
    path,
    agent: false,
    headers: { "content-type": "text/plain", "content-length": "5" },
  });
  req.on("error", () => {});
  req.end("hello");
  await entered;
  req.destroy();
}
