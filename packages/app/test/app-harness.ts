import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppStore } from "@b24kit/app";
import {
  type AppConfigInput,
  type AppManifestInput,
  type B24App,
  type CreateAppOptions,
  createApp,
  createLogger,
  type QueuePolicy,
} from "@b24kit/app";
import { type RunningServer, serve } from "@b24kit/app/node";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";
import type { EmulatorHandle } from "@b24kit/emulator";
import { type AppRegistration, control, freePort } from "@b24kit/emulator/testing";

export { freePort };

export const MANIFEST: AppManifestInput = {
  version: "1",
  scopes: ["crm", "placement", "user"],
  placements: [{ placement: "CRM_DEAL_DETAIL_TAB", title: "Insights" }],
  requires: { methods: ["crm.deal.get"] },
};

export interface Harness {
  app: B24App;
  store: AppStore;
  server: RunningServer;
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  /** The SQLite file (scanned for secrets by the security tests). */
  dbFile: string;
  /** Every log line the runtime and its server wrote (debug level), scanned by the security tests. */
  logFile: string;
  /** Stops the server and the runtime, keeping its files (the app is "down"); `start()` brings it back. */
  stop(): Promise<void>;
  /** Starts it again on the same port, database and queue, as a restarted process would. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The runtime as a user deploys it — a real SQLite file, served over real HTTP
 * on Node — registered with the emulator as a marketplace app.
 */
export async function startApp(
  emu: EmulatorHandle,
  options: {
    registration: (publicUrl: string) => Omit<AppRegistration, "scopes"> & { scopes?: string[] };
    manifest?: AppManifestInput;
    handlers?: Pick<
      CreateAppOptions,
      "page" | "placements" | "api" | "events" | "bots" | "robots" | "fieldTypes"
    >;
    /** Give the app an embedded event queue (a SQLite file beside its database). */
    queue?: boolean | { policy: QueuePolicy };
    /** More createApp options (workers, offlineDrainIntervalMs, …). */
    runtime?: Pick<CreateAppOptions, "workers" | "offlineDrainIntervalMs" | "maxLimitWaitMs" | "console">;
    /** Settings on top of the harness's configuration (e.g. `metricsSampleSeconds`). */
    config?: Partial<Pick<AppConfigInput, "metricsSampleSeconds" | "consoleSessionTtlSeconds">>;
  },
): Promise<Harness> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  const manifest = options.manifest ?? MANIFEST;
  const registered = await control(emu).registerApp({
    scopes: manifest.scopes,
    local: false,
    ...options.registration(publicUrl),
  });
  const dir = mkdtempSync(join(tmpdir(), "b24kit-app-"));
  const logFile = join(dir, "app.log");
  const logger = createLogger({ level: "debug", destination: logFile });
  const config = {
    appName: "Deal insights",
    publicUrl,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    oauthServer: emu.authUrl,
    encryptionKeys: { k1: randomBytes(32).toString("base64") },
    encryptionKeyId: "k1",
    sessionSecret: randomBytes(32).toString("hex"),
    ...options.config,
  };
  const boot = async () => {
    // No explicit migrate: the runtime creates its schema on start.
    const store = sqliteStore({ file: join(dir, "app.db") });
    const policy = typeof options.queue === "object" ? options.queue.policy : undefined;
    const queue = options.queue
      ? sqliteJobQueue({ file: join(dir, "queue.db"), ...(policy ? { policy } : {}) })
      : undefined;
    const app = createApp({
      manifest,
      config,
      store,
      logger,
      ...(queue ? { queue } : {}),
      page: (ctx) => `<main><h1>Hello, ${ctx.user.name}</h1></main>`,
      placements: (manifest.placements ?? []).some((p) => p.placement === "CRM_DEAL_DETAIL_TAB")
        ? { CRM_DEAL_DETAIL_TAB: (ctx) => `<main id="deal">Deal ${String(ctx.options.ID)}</main>` }
        : {},
      ...options.handlers,
      ...options.runtime,
    });
    await app.ready();
    const server = await serve(app, { port, logger });
    return { app, store, queue, server };
  };
  let running: Awaited<ReturnType<typeof boot>> | undefined = await boot();
  const shutdown = async () => {
    if (!running) return;
    const { server, app, store, queue } = running;
    running = undefined;
    await server.close();
    await app.close();
    await queue?.close();
    await store.close();
  };
  const live = () => {
    if (!running) throw new Error("the app is stopped");
    return running;
  };
  return {
    get app() {
      return live().app;
    },
    get store() {
      return live().store;
    },
    get server() {
      return live().server;
    },
    publicUrl,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    dbFile: join(dir, "app.db"),
    logFile,
    stop: shutdown,
    async start() {
      if (!running) running = await boot();
    },
    async close() {
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
