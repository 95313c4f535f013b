import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { AutomationEngine } from "./automation/automation-engine.js";
import { catalogue } from "./calls/catalogue.js";
import { registerAppLifecycleRoutes } from "./control/app-lifecycle-routes.js";
import { registerAppSessionRoutes } from "./control/app-session-routes.js";
import { registerChatRoutes } from "./control/chat-routes.js";
import { controlExchange, controlRequest } from "./control/control-client.js";
import { registerControlRoutes } from "./control/control-routes.js";
import { registerMethodRoutes } from "./control/method-routes.js";
import { checkEmulatorOptions, type EmulatorOptions } from "./emulator-options.js";
import { EventBus } from "./events/event-bus.js";
import { OfflineQueue } from "./events/offline-queue.js";
import { registerBodyParsers } from "./http/body-parsers.js";
import { registerChangeHook } from "./http/change-hook.js";
import { registerControlGuard } from "./http/control-guard.js";
import { registerErrorHandler } from "./http/error-handler.js";
import { registerHostGuard } from "./http/host-guard.js";
import { PortalResolver } from "./http/portal-resolver.js";
import { registerRestRoute } from "./http/rest-route.js";
import { registerRestV3Route } from "./http/rest-v3-route.js";
import { registerWebhookPrecheck } from "./http/webhook-precheck.js";
import { createRegistry } from "./methods/registry.js";
import { createV3Registry } from "./methods/v3/registry-v3.js";
import { registerAuthorizeRoute } from "./oauth/authorize-route.js";
import { type OAuthStats, registerTokenRoute } from "./oauth/token-route.js";
import { StateFile } from "./persistence/state-file.js";
import { registerPortalUi } from "./portal-ui/ui-routes.js";
import { RestExecutor } from "./rest-endpoint/executor.js";
import { IdempotencyStore } from "./rest-endpoint/idempotency-store.js";
import { Portal } from "./state/portal.js";
import { allScopes } from "./state/scopes.js";
import { World } from "./state/world.js";
import { ensureLocalCa, issueServerCertificate } from "./tls/local-ca.js";

export type { EmulatorOptions } from "./emulator-options.js";

export interface EmulatorHandle {
  url: string;
  controlUrl: string;
  /** The OAuth server (token endpoint `{authUrl}oauth/token/`, `server_endpoint` = `{authUrl}rest/`). */
  authUrl: string;
  caFile: string | null;
  readonly portals: Array<Record<string, unknown>>;
  world: World;
  /** The exact JSON ready line of contracts.md. */
  readyLine(): string;
  /**
   * The ready line of `npm start` and `b24kit dev` (contracts.md): this emulator with an app
   * installed on a portal (default: the default portal), keys in the contract's order.
   */
  appReadyLine(app: { appUrl: string; clientId: string; memberId?: string }): string;
  /** Calls the control API (relative path, e.g. "apps"), trusting the emulator's CA by itself. */
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** The same, resolving with the status and body whatever the status (for tests of the control API itself). */
  controlExchange<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The largest request body any route reads, multipart included. */
const BODY_LIMIT = 64 * 1024 * 1024;

function defaultCaDir(): string {
  return join(process.env.B24KIT_HOME ?? join(homedir(), ".b24kit"), "ca");
}

/** Starts a portal emulator: one main listener plus one listener per extra portal. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  checkEmulatorOptions(options);
  const host = options.host ?? "127.0.0.1";
  // Only requests addressed to the emulator by one of its own names are answered (DNS rebinding).
  const allowedHostnames = new Set(
    [host, "127.0.0.1", "localhost", "::1", ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );
  const useHttps = !options.http;
  // Absolute: the ready line's caFile goes to NODE_EXTRA_CA_CERTS of processes started elsewhere (contracts.md).
  const ca = useHttps ? ensureLocalCa(resolve(options.caDir ?? defaultCaDir())) : undefined;
  const tls = ca
    ? issueServerCertificate(ca, [...new Set([host, "127.0.0.1", "localhost", "::1"])])
    : undefined;

  const world = new World({
    events: (w) => new EventBus(w),
    offlineEvents: (w) => new OfflineQueue(w),
    automation: (w) => new AutomationEngine(w),
  });
  const registry = createRegistry();
  const executor = new RestExecutor(world, registry);
  const resolver = new PortalResolver(world);
  const oauthStats: OAuthStats = { requests: 0, byGrant: {}, errors: {} };
  const extraServers: Server[] = [];
  let mainPort = 0;

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    ...(tls ? { https: { cert: tls.certPem, key: tls.keyPem } } : {}),
  }) as unknown as FastifyInstance;
  registerHostGuard(app, allowedHostnames);
  registerWebhookPrecheck(app, world);
  registerBodyParsers(app, BODY_LIMIT);
  registerChangeHook(app, world);
  registerControlGuard(app, () => mainPort);
  registerErrorHandler(app);
  registerRestRoute(app, world, resolver, executor, () => world.authPort);
  const v3Registry = createV3Registry();
  registerRestV3Route(
    app,
    world,
    resolver,
    new RestExecutor(world, v3Registry, catalogue.v3),
    new IdempotencyStore(),
  );
  registerTokenRoute(app, world, oauthStats, (port) => port === world.authPort);
  registerAuthorizeRoute(app, world, resolver);

  const listenExtra = async (port = 0): Promise<number> => {
    const handler = (req: Parameters<typeof app.routing>[0], res: Parameters<typeof app.routing>[1]) =>
      app.routing(req, res);
    const server = tls
      ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    extraServers.push(server);
    return (server.address() as AddressInfo).port;
  };
  const domainFor = (port: number) => `${host.includes(":") ? `[${host}]` : host}:${port}`;

  const addPortal = (portal: Portal): Portal => {
    world.portals.set(portal.memberId, portal);
    if (portal.webhooks.size === 0) portal.addWebhook(1, allScopes());
    world.onChange();
    return portal;
  };

  registerControlRoutes(
    app,
    world,
    {
      async createPortal(input) {
        const port = await listenExtra();
        resolver.bind(port, domainFor(port));
        return addPortal(new Portal({ ...input, domain: domainFor(port) }));
      },
      async moveDomain(portal) {
        const port = await listenExtra();
        resolver.bind(port, domainFor(port));
        portal.previousDomains.add(portal.domain);
        portal.domain = domainFor(port);
        world.onChange();
        return portal.domain;
      },
    },
    oauthStats,
  );
  registerMethodRoutes(app, { classic: registry, v3: v3Registry });
  registerAppLifecycleRoutes(app, world, executor);
  registerChatRoutes(app, world, executor);
  const sessions = registerPortalUi(app, world, resolver, executor);
  registerAppSessionRoutes(app, world, sessions);

  await app.listen({ port: options.port ?? 8480, host });
  mainPort = (app.server.address() as AddressInfo).port;
  const protocol = useHttps ? "https" : "http";
  world.baseUrl = `${protocol}://${domainFor(mainPort)}/`;
  resolver.bind(mainPort, domainFor(mainPort));

  const stateFile = options.stateFile ? new StateFile(options.stateFile) : undefined;
  const restored = stateFile?.load(world);
  if (restored) {
    // Portals keep their member_id and data; each gets its listener back (same port when free).
    for (const portal of world.portals.values()) {
      const oldPort = Number(portal.domain.split(":").pop());
      if (portal.memberId === world.defaultMemberId) {
        portal.domain = domainFor(mainPort);
        continue;
      }
      let port: number;
      try {
        port = await listenExtra(oldPort);
      } catch {
        port = await listenExtra();
      }
      resolver.bind(port, domainFor(port));
      portal.domain = domainFor(port);
    }
  } else {
    const def = addPortal(new Portal({ domain: domainFor(mainPort), plan: options.plan ?? "professional" }));
    world.defaultMemberId = def.memberId;
  }
  // The OAuth server listens apart from every portal (its port kept across restarts when free).
  try {
    world.authPort = await listenExtra(restored ? world.authPort : 0);
  } catch {
    world.authPort = await listenExtra();
  }
  world.authUrl = `${protocol}://${domainFor(world.authPort)}/`;
  if (options.requireHttpsHandlers) world.settings.requireHttpsHandlers = true;
  if (options.handlerCaBundle) world.settings.handlerCaBundle = options.handlerCaBundle;
  if (options.strictEventDelivery) world.settings.strictEventDelivery = true;
  if (stateFile) world.onChange = () => stateFile.scheduleSave(world);

  const handle: EmulatorHandle = {
    url: world.baseUrl,
    controlUrl: `${world.baseUrl}_emulator/`,
    authUrl: world.authUrl,
    caFile: ca?.caFile ?? null,
    get portals() {
      return [...world.portals.values()].filter((p) => !p.deleted).map((p) => world.describePortal(p));
    },
    world,
    readyLine() {
      const portals = handle.portals.map(({ memberId, domain, plan, clientEndpoint, adminWebhookUrl }) => ({
        memberId,
        domain,
        plan,
        clientEndpoint,
        adminWebhookUrl,
      }));
      return JSON.stringify({
        ready: true,
        url: handle.url,
        controlUrl: handle.controlUrl,
        caFile: handle.caFile,
        portals,
      });
    },
    appReadyLine({ appUrl, clientId, memberId = world.defaultMemberId }) {
      const portal = handle.portals.find((p) => p.memberId === memberId);
      const portalUrl =
        memberId === world.defaultMemberId || !portal ? handle.url : `${world.protocol}://${portal.domain}/`;
      return JSON.stringify({
        ready: true,
        portalUrl,
        appUrl,
        emulatorUrl: handle.url,
        caFile: handle.caFile,
        memberId,
        clientId,
        controlUrl: handle.controlUrl,
        adminWebhookUrl: portal?.adminWebhookUrl,
      });
    },
    control(method, path, body) {
      return controlRequest(handle.controlUrl, ca?.certPem, method, path, body);
    },
    controlExchange(method, path, body) {
      return controlExchange(handle.controlUrl, ca?.certPem, method, path, body);
    },
    async close() {
      stateFile?.saveNow(world);
      stateFile?.close();
      await Promise.all(
        extraServers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections?.();
              s.close(() => resolve());
            }),
        ),
      );
      await app.close();
      // Clients in this process (fetch's pool) learn of the closed keep-alive sockets on their next
      // I/O turns; let those pass, so a restart on the same port never meets a stale socket.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return handle;
}
