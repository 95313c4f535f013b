import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticate, type RestTarget } from "../rest/authenticate.js";
import { runBatch } from "../rest/batch.js";
import { phpJson, timeBlock } from "../rest/envelope.js";
import { DropConnection, type RestExecutor } from "../rest/executor.js";
import { param } from "../rest/params.js";
import { Errors, RestError } from "../rest/rest-error.js";
import { sleep } from "../rest/sleep.js";
import type { World } from "../state/world.js";
import type { PortalResolver } from "./portal-resolver.js";
import { requestParams } from "./request-params.js";

function parseTarget(url: string, params: Record<string, unknown>): { target: RestTarget; method: string } {
  const path = url.split("?")[0] ?? "";
  // The official OAuth client builds "/rest//method": empty segments are ignored.
  const segments = path.split("/").filter(Boolean).slice(1);
  let method: string;
  let target: RestTarget;
  const [first, second] = segments;
  if (segments.length >= 3 && first && second && /^\d+$/.test(first)) {
    target = { kind: "webhook", userId: Number(first), code: second };
    method = segments.slice(2).join("/");
  } else {
    const auth = param(params, "auth");
    target = { kind: "oauth", token: typeof auth === "string" && auth !== "" ? auth : undefined };
    method = segments.join("/");
  }
  return { target, method: method.replace(/\.(json|xml)$/i, "").toLowerCase() };
}

function cors(request: FastifyRequest, reply: FastifyReply): void {
  // Frames call the REST endpoint straight from the app's origin.
  reply.header("access-control-allow-origin", request.headers.origin ?? "*");
  reply.header("vary", "origin");
  reply.header("access-control-allow-methods", "GET, POST, OPTIONS");
  reply.header(
    "access-control-allow-headers",
    request.headers["access-control-request-headers"] ?? "content-type, accept, x-request-id",
  );
  reply.header("access-control-max-age", "600");
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send(phpJson(body));
}

/** The classic REST endpoint: `/rest/{method}` and `/rest/{user}/{webhook}/{method}` (protocol.md §3). */
export function registerRestRoute(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  executor: RestExecutor,
  mainPort: () => number,
): void {
  app.route({
    method: ["GET", "POST", "OPTIONS"],
    url: "/rest/*",
    handler: async (request, reply) => {
      cors(request, reply);
      if (request.method === "OPTIONS") return reply.code(204).send();
      const portal = resolver.resolve(request, reply);
      if (!portal) return reply;
      portal.record(undefined, undefined, true);
      await sleep(portal.requestLatencyMs);
      const startMs = world.clock.nowMs();
      const params = requestParams(request.url, request.body);
      const { target, method } = parseTarget(request.url, params);
      delete params.auth;
      try {
        if (world.settings.requireHttps && world.protocol === "http") throw Errors.httpsRequired();
        if (!method) throw Errors.methodNotFound();
        const onAuthServer = request.socket.localPort === mainPort();
        const { caller, portal: owner } = authenticate(world, portal, target, method, onAuthServer);
        if (!owner.profile.restAvailable) throw Errors.restNotInPlan();
        const bucket = owner.bucket;
        if (
          !world.buckets.take(`${owner.memberId}|${request.ip}`, startMs, bucket.burst, bucket.drainPerSecond)
        ) {
          throw Errors.queryLimit();
        }
        if (method === "batch") {
          owner.record("batch", undefined, false);
          const realStart = performance.now();
          const result = await runBatch(world, executor, owner, caller, params);
          const time = timeBlock(startMs, world.clock.nowMs(), (performance.now() - realStart) / 1000);
          return send(reply, 200, { result, time });
        }
        const outcome = await executor.execute(owner, caller, method, params);
        if (!outcome.ok) return send(reply, outcome.error.status, outcome.error.body());
        const { result, total, next } = outcome.output;
        const body: Record<string, unknown> = { result };
        if (total !== undefined) body.total = total;
        if (next !== undefined) body.next = next;
        body.time = outcome.time;
        return send(reply, 200, body);
      } catch (error) {
        if (error instanceof DropConnection) {
          reply.hijack();
          request.raw.socket.destroy();
          return reply;
        }
        const restError = error instanceof RestError ? error : Errors.internal();
        if (!(error instanceof RestError)) console.error("emulator: request failed", error);
        portal.record(undefined, restError.code, false);
        return send(reply, restError.status, restError.body());
      }
    },
  });
}
