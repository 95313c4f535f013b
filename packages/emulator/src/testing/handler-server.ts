import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import qs from "qs";
import { waitFor } from "./wait-for.js";

/** One request the portal sent to an app's handler, its form body decoded with nested keys. */
export interface CapturedRequest {
  method: string;
  /** Path and query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  raw: string;
  /** `data[FIELDS][ID]=5` → `{ data: { FIELDS: { ID: "5" } } }`. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read form bodies deep (body.data.FIELDS.ID); strings all the way down
  body: Record<string, any>;
}

export interface HandlerServer {
  /** `http://127.0.0.1:<port>/` (the emulator accepts plain-http handlers on loopback). */
  url: string;
  requests: CapturedRequest[];
  /** Requests of one event (`body.event`, upper-case). */
  of(event: string): CapturedRequest[];
  /** Resolves with the first `count` requests matching `match` once they have arrived. */
  waitFor(
    match: (r: CapturedRequest) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<CapturedRequest[]>;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for an app's handler: records every request
 * the portal sends (events, placement and install POSTs, bot messages) and
 * answers 200 (after `delayMs`, for slow-handler tests) or `answer(request)`.
 */
export async function handlerServer(
  options: { delayMs?: number; answer?: (r: CapturedRequest) => { status: number; body?: string } } = {},
): Promise<HandlerServer> {
  const requests: CapturedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const captured: CapturedRequest = {
        method: req.method ?? "",
        path: req.url ?? "/",
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        raw,
        body: qs.parse(raw, { depth: 10, arrayLimit: 1000, parameterLimit: 5000 }),
      };
      requests.push(captured);
      const reply = options.answer?.(captured) ?? { status: 200, body: "ok" };
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed)
          res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? "");
      }, options.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    of: (event) => requests.filter((r) => String(r.body.event ?? "").toUpperCase() === event.toUpperCase()),
    waitFor: (match, count = 1, timeoutMs) =>
      waitFor(
        () => {
          const hits = requests.filter(match);
          return hits.length >= count ? hits.slice(0, count) : undefined;
        },
        { what: `${count} handler request(s)`, ...(timeoutMs ? { timeoutMs } : {}) },
      ),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
