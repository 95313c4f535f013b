import { B24Error, type FetchLike, localRefreshLock } from "@b24kit/rest";
import { auditHooks, auditRefresh } from "../audit/audit-hooks.js";
import { AuditLog } from "../audit/audit-log.js";
import { type RetentionClock, startAuditRetention } from "../audit/audit-retention.js";
import { correlationIdFrom } from "../audit/correlation-id.js";
import { recordInbound } from "../audit/inbound-audit.js";
import { mergeClientHooks } from "../audit/merge-client-hooks.js";
import { capabilityNotice } from "../capabilities/capability-notice.js";
import { CapabilityService } from "../capabilities/capability-service.js";
import { guardedCall } from "../capabilities/guarded-call.js";
import { type AppConfig, type AppConfigInput, parseAppConfig } from "../config/app-config.js";
import { mountConsole } from "../console/console-routes.js";
import { eventIngress } from "../events/event-ingress.js";
import { EventMetrics } from "../events/event-metrics.js";
import { eventWorkers } from "../events/event-workers.js";
import type { ReceiveInput } from "../events/receive-directly.js";
import { fieldTypeFrame } from "../field-types/field-type-frame.js";
import { SDK_ASSET_PATH, sdkAssetResponse } from "../frame/sdk-asset.js";
import { ApiUserAuth } from "../inbound/api-user-auth.js";
import { parseManifest } from "../manifest/app-manifest.js";
import { handlerUrls } from "../manifest/apply-manifest.js";
import { checkEventHandlers, withOfflineNudge } from "../manifest/event-bindings.js";
import { AppMetrics } from "../metrics/app-metrics.js";
import { type MetricsSampler, startMetricsSampler } from "../metrics/metrics-sampler.js";
import type { JobConsumer, JobQueue } from "../queue/job-queue.js";
import { openFrame } from "../routes/frame-routes.js";
import { receiveEvent, receiveInstall } from "../routes/lifecycle-routes.js";
import { oauthCallback, startOAuth } from "../routes/oauth-routes.js";
import { receiveRobot } from "../routes/robot-routes.js";
import { callApi, renewSession } from "../routes/session-routes.js";
import { TokenCipher } from "../security/token-cipher.js";
import { createSessionSigner } from "../session/frame-session.js";
import { createStateSigner } from "../session/oauth-state.js";
import { TenantService } from "../tenants/tenant-service.js";
import { TokenVault } from "../vault/token-vault.js";
import { AppError } from "./app-error.js";
import { type CreateAppOptions, checkCreateAppOptions } from "./create-app-options.js";
import { PortalClients } from "./portal-clients.js";
import { attachRawBody } from "./raw-body.js";
import { errorResponse, json } from "./responses.js";
import type { Runtime } from "./runtime.js";
import { type RequestScope, WebRouter } from "./web-router.js";

export type { CreateAppOptions } from "./create-app-options.js";

/** The runtime: a web-standard app (`fetch(Request) → Response`) plus what background code needs. */
export interface B24App {
  /** `env.rawBody`: the body an adapter read already (`readsRawBody`); the Request then carries none. */
  fetch(request: Request, env?: { rawBody?: Uint8Array; clientAddress?: string }): Promise<Response>;
  /** Tells server adapters to hand bodies over as `env.rawBody`. */
  readonly readsRawBody: true;
  /** Like fetch, with a path on the app (`app.request("/healthz")`): for tests without a server. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A REST client acting as the app on one portal, for jobs and scripts. */
  forPortal(memberId: string): ReturnType<PortalClients["forPortal"]>;
  /** Whether the portal offers a method (capability probe, cached). */
  can(memberId: string, method: string): Promise<boolean>;
  /**
   * Runs an event's handler now, without a server or the queue, as a worker would (tests, scripts);
   * the tenant must be on file. Resolves when the handler is done; its error is thrown.
   */
  receive(input: ReceiveInput): Promise<void>;
  /** Starts workers in this process (what `b24kit worker` runs); `stop()` waits for jobs in flight. */
  work(options?: { concurrency?: number }): JobConsumer;
  /** The event queue, when the app has one. */
  readonly queue: JobQueue | undefined;
  readonly tenants: TenantService;
  readonly audit: AuditLog;
  readonly capabilities: CapabilityService;
  readonly config: AppConfig;
  /** Resolves once start-up work is done (the schema migrated); requests wait for it on their own. */
  ready(): Promise<void>;
  /** Stops background work (workers, audit retention) and waits for audit writes in flight; the store and queue stay open. */
  close(): Promise<void>;
}

/** Frames and lifecycle events are small forms; anything larger is refused unread. */
const INBOUND_LIMIT_BYTES = 256 * 1024;

export function createApp(options: CreateAppOptions): B24App {
  checkCreateAppOptions(options);
  const config = parseAppConfig(options.config as AppConfigInput);
  const manifest = withOfflineNudge(parseManifest(options.manifest));
  for (const code of Object.keys(options.placements ?? {}))
    if (!manifest.placements.some((p) => p.placement === code))
      throw new Error(`Placement handler ${code} has no placement in the manifest`);
  for (const code of Object.keys(options.fieldTypes ?? {}))
    if (!manifest.fieldTypes.some((t) => t.code === code))
      throw new Error(`Field type handler ${code} has no field type in the manifest`);
  checkEventHandlers(manifest, {
    events: Object.keys(options.events ?? {}),
    bots: options.bots !== undefined,
    queue: options.queue !== undefined,
  });
  const clock = options.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const cipher = new TokenCipher(
    Object.fromEntries(
      Object.entries(config.encryptionKeys).map(([id, key]) => [id, Buffer.from(key, "base64")]),
    ),
    config.encryptionKeyId,
  );
  const vault = new TokenVault(options.store, cipher, { now });
  const tenants = new TenantService(options.store, vault, now);
  const migrated = options.migrate === false ? Promise.resolve() : options.store.migrate().then(() => {});
  // A failed migration fails every request (and ready()) with its message, never half-works.
  migrated.catch(() => {});
  const metrics = new AppMetrics(options.store);
  const eventMetrics = new EventMetrics(metrics.registry, options.queue);
  const audit = new AuditLog(options.store, { clock, ...(options.logger ? { logger: options.logger } : {}) });
  // Pruning starts once the schema is there.
  let closed = false;
  let retention: ReturnType<typeof startAuditRetention> | undefined;
  let sampler: MetricsSampler | undefined;
  if (options.auditRetention !== false)
    void migrated.then(
      () => {
        if (closed) return;
        retention = startAuditRetention(options.store, {
          retentionDays: config.auditRetentionDays,
          ...(options.logger ? { logger: options.logger } : {}),
        });
      },
      () => {},
    );
  // Metric snapshots for the console's charts, on the app's clock when it can sleep (a FakeClock).
  const sampleIntervalMs = Math.round(config.metricsSampleSeconds * 1000);
  if (sampleIntervalMs > 0)
    void migrated.then(
      () => {
        if (closed) return;
        const sleeper = clock as Partial<RetentionClock>;
        sampler = startMetricsSampler(metrics.registry, options.store, {
          intervalMs: sampleIntervalMs,
          retentionDays: config.metricsRetentionDays,
          ...(typeof sleeper.sleep === "function" ? { clock: sleeper as RetentionClock } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        });
      },
      () => {},
    );
  const clients = new PortalClients({
    config,
    vault,
    tenants,
    fetch: fetchFn,
    lock: options.refreshLock ?? localRefreshLock(),
    hooksFor: (memberId) => mergeClientHooks(auditHooks(audit, memberId), metrics.hooks),
    onRefresh: (memberId, tokens) => {
      auditRefresh(audit, memberId)(tokens);
      metrics.refreshed(true);
    },
  });
  const capabilities = new CapabilityService(options.store, {
    clock,
    refresher: { manifest, clientFor: (memberId) => clients.forPortal(memberId) },
  });
  const urls = handlerUrls(config.publicUrl);
  const rt: Runtime = {
    config,
    manifest,
    store: options.store,
    vault,
    tenants,
    clients,
    sessions: createSessionSigner(config.sessionSecret, { ttlSeconds: config.sessionTtlSeconds, clock }),
    apiUserAuth: new ApiUserAuth({ fetch: fetchFn, now }),
    states: createStateSigner(config.sessionSecret, { clock }),
    audit,
    capabilities: {
      refresh: async (memberId) => {
        await capabilities.refresh(memberId, clients.forPortal(memberId), manifest);
      },
      can: (memberId, method) => capabilities.can(memberId, method),
      guard: (memberId, client) => guardedCall(capabilities, memberId, client),
      notice: async (memberId, userIsAdmin) =>
        capabilityNotice(
          await capabilities.explain(memberId, userIsAdmin === undefined ? {} : { userIsAdmin }),
        ),
    },
    fetch: fetchFn,
    now,
    urls,
    handlers: {
      ...(options.page ? { page: options.page } : {}),
      placements: options.placements ?? {},
      fieldTypes: options.fieldTypes ?? {},
      api: options.api ?? {},
    },
    inboundLimitBytes: INBOUND_LIMIT_BYTES,
    ...(options.queue ? { events: eventIngress(options.queue, eventMetrics, now) } : {}),
    authConnector: options.authConnector ?? "b24kit",
  };
  const router = routes(rt, metrics, options.queue);
  mountConsole(router, rt, {
    queue: options.queue,
    sampleIntervalMs,
    ...(options.console ? { console: options.console } : {}),
  });
  const workers = eventWorkers(rt, eventMetrics, options);
  const inProcessWorkers = options.queue ? (options.workers ?? 4) : 0;
  if (inProcessWorkers > 0)
    void migrated.then(
      () => {
        if (!closed) workers.work({ concurrency: inProcessWorkers });
      },
      () => {},
    );
  const app: B24App = {
    readsRawBody: true,
    async fetch(request, env) {
      if (env?.rawBody) attachRawBody(request, env.rawBody);
      await migrated;
      const url = new URL(request.url);
      const matched = router.match(request.method, url.pathname);
      if (!matched) return json(404, { error: "NOT_FOUND", message: "No such route" });
      if ("allowed" in matched)
        return json(
          405,
          { error: "METHOD_NOT_ALLOWED", message: "Method not allowed" },
          { allow: matched.allowed.join(", ") },
        );
      const scope: RequestScope = {
        surface: matched.surface,
        correlationId: correlationIdFrom(request.headers),
        ...(env?.clientAddress ? { clientAddress: env.clientAddress } : {}),
      };
      const started = now();
      let response: Response;
      let errorCode: string | undefined;
      try {
        response = await matched.handler(request, matched.params, scope);
      } catch (error) {
        errorCode =
          error instanceof AppError ? error.code : error instanceof B24Error ? error.code : "INTERNAL";
        response = failure(error);
      }
      response.headers.set("x-correlation-id", scope.correlationId);
      if (scope.surface !== "health") metrics.inbound(scope.surface, response.status);
      if (scope.memberId && scope.surface !== "health") void auditInbound(scope.memberId);
      return response;

      /** Stored for portals on file only: a request naming a made-up member_id must not grow the table. */
      async function auditInbound(memberId: string) {
        const known =
          scope.verified === true || (await tenants.get(memberId).catch(() => undefined)) !== undefined;
        await recordInbound(audit, {
          memberId: known ? memberId : undefined,
          correlationId: scope.correlationId,
          surface: scope.surface,
          method: request.method,
          url: request.url,
          outcome: response.status < 400 ? "ok" : response.status < 500 ? "rejected" : "error",
          status: response.status,
          durationMs: now() - started,
          errorCode,
          kind: errorCode && response.status < 500 && response.status !== 404 ? "security" : "inbound",
        });
      }
    },
    request(path, init) {
      return app.fetch(new Request(new URL(path.replace(/^\//, ""), config.publicUrl), init));
    },
    forPortal: (memberId) => clients.forPortal(memberId),
    can: (memberId, method) => capabilities.can(memberId, method),
    receive: async (input) => {
      await migrated;
      await workers.receive(input);
    },
    work: (workOptions) => workers.work(workOptions),
    queue: options.queue,
    tenants,
    audit,
    capabilities,
    config,
    ready: () => migrated,
    async close() {
      closed = true;
      await workers.stop();
      await retention?.stop();
      await sampler?.stop();
      await audit.flush();
    },
  };
  return app;
}

function routes(rt: Runtime, metrics: AppMetrics, queue: JobQueue | undefined): WebRouter {
  const base = new URL(rt.config.publicUrl).pathname;
  const at = (path: string) => `${base}${path}`;
  return new WebRouter()
    .on("POST", at(""), "app", (request, _, scope) => openFrame(rt, request, scope))
    .on("POST", at("b24/app"), "app", (request, _, scope) => openFrame(rt, request, scope))
    .on("POST", at("b24/placements/:code"), "placement", (request, { code = "" }, scope) =>
      openFrame(rt, request, scope, { placement: code, handler: rt.handlers.placements[code] }),
    )
    .on("POST", at("b24/field-types/:code"), "placement", (request, { code = "" }, scope) =>
      openFrame(rt, request, scope, {
        placement: "USERFIELD_TYPE",
        handler: fieldTypeFrame(rt.handlers.fieldTypes[code]),
      }),
    )
    .on("POST", at("b24/install"), "install", (request, _, scope) => receiveInstall(rt, request, scope))
    .on("POST", at("b24/events"), "event", (request, _, scope) => receiveEvent(rt, request, scope))
    .on("POST", at("b24/robots"), "event", (request, _, scope) => receiveRobot(rt, request, scope))
    .on("GET", at("b24/oauth/start"), "oauth-redirect", (request) => startOAuth(rt, request))
    .on("GET", at("b24/oauth/callback"), "oauth-redirect", (request, _, scope) =>
      oauthCallback(rt, request, scope),
    )
    .on("POST", at("b24/session/renew"), "session", (request, _, scope) => renewSession(rt, request, scope))
    .on("POST", at("b24/api/:name"), "session", (request, { name }, scope) =>
      callApi(rt, request, name ?? "", scope),
    )
    .on("GET", at(SDK_ASSET_PATH), "other", () => sdkAssetResponse())
    .on("GET", at("healthz"), "health", async () => json(200, { ok: true }))
    .on("GET", at("metrics"), "health", () => metrics.response())
    .on("GET", at("readyz"), "health", async () => {
      const checks = { store: "ok", queue: queue ? "ok" : "none" };
      try {
        await rt.store.admin.tenants({ states: ["active"] });
      } catch {
        checks.store = "unreachable";
      }
      try {
        await queue?.ping();
      } catch {
        checks.queue = "unreachable";
      }
      const ok = checks.store === "ok" && checks.queue !== "unreachable";
      return json(ok ? 200 : 503, { ok, checks });
    });
}

/**
 * Errors as answers: our own with their code and status (also when a client raised it for us, as
 * `ctx.asUser` without an AUTH_ID does), the portal's as 502, anything else 500 without detail.
 */
function failure(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error);
  if (error instanceof B24Error && error.cause instanceof AppError) return errorResponse(error.cause);
  if (error instanceof B24Error)
    return json(502, {
      error: "PORTAL_ERROR",
      message: `The portal answered ${error.code}`,
      code: error.code,
    });
  return json(500, {
    error: "INTERNAL",
    message: "Something went wrong; the correlation id finds it in the logs",
  });
}
