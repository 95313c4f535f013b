import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorHandle } from "@b24kit/emulator";
import qs from "qs";
import { call, control } from "./helpers.js";

/** One POST an app's handler received from the portal. */
export interface Received {
  raw: string;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
  path: string;
}

export interface HandlerServer {
  /** `http://127.0.0.1:<port>/` (loopback handlers may be plain http). */
  url: string;
  received: Received[];
  /** Received POSTs of one event (upper-case name). */
  of(event: string): Received[];
  close(): Promise<void>;
}

/** A real HTTP handler on 127.0.0.1 that answers 200 after `delayMs` (a slow one for strict-mode tests). */
export async function startHandlerServer(delayMs = 10): Promise<HandlerServer> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ raw, body: qs.parse(raw, { depth: 10 }), headers: req.headers, path: req.url ?? "" });
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    of: (event) => received.filter((r) => r.body.event === event),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestApp {
  clientId: string;
  token: string;
  applicationToken: string;
  install: Record<string, any>;
}

/** Registers an app and installs it on the portal (as its admin); returns what the app was handed. */
export async function installTestApp(
  emu: EmulatorHandle,
  memberId: string,
  registration: Record<string, unknown>,
): Promise<TestApp> {
  const app = await control(emu, "POST", "apps", registration);
  const install = await control(emu, "POST", `portals/${memberId}/install`, { clientId: app.body.clientId });
  if (install.status !== 201) throw new Error(`install failed: ${JSON.stringify(install.body)}`);
  return {
    clientId: app.body.clientId,
    token: install.body.auth.access_token,
    applicationToken: install.body.applicationToken,
    install: install.body,
  };
}

/** Calls a REST method with an app's access token. */
export function appCall(
  endpoint: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
) {
  return call(endpoint, method, { ...params, auth: token });
}

/** Waits until every event delivery in flight has finished. */
export async function eventsIdle(emu: EmulatorHandle): Promise<void> {
  const res = await control(emu, "POST", "events/idle");
  if (res.status !== 200) throw new Error(`events/idle: ${res.status}`);
}
