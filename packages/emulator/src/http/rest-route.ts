import type { FastifyInstance } from "fastify";
import { Errors, RestError } from "../calls/rest-error.js";
import { timeBlock } from "../portal-time.js";
import { authenticate } from "../rest-endpoint/authenticate.js";
import { runBatch } from "../rest-endpoint/batch.js";
import { DropConnection, type RestExecutor } from "../rest-endpoint/executor.js";
import { sleep } from "../rest-endpoint/sleep.js";
import type { World } from "../state/world.js";
import { answerOnAuthServer } from "./auth-server-rest.js";
import type { PortalResolver } from "./portal-resolver.js";
import { requestParams } from "./request-params.js";
import { cors, send } from "./rest-reply.js";
import { parseTarget } from "./rest-target.js";

/** The classic REST endpoint: `/rest/{method}` and `/rest/{user}/{webhook}/{method}` (protocol.md §3). */
export function registerRestRoute(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  executor: RestExecutor,
  authPort: () => number,
): void {
  app.route({
    method: ["GET", "POST", "OPTIONS"],
    url: "/rest/*",
    handler: async (request, reply) => {
      cors(request, reply);
      if (request.method === "OPTIONS") return reply.code(204).send();
      if (request.socket.localPort === authPort()) return answerOnAuthServer(world, executor, request, reply);
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
        const caller = authenticate(world, portal, target);
        if (!portal.profile.restAvailable) throw Errors.restNotInPlan();
        const bucket = portal.bucket;
        if (
          !world.buckets.take(
            `${portal.memberId}|${request.ip}`,
            startMs,
            bucket.burst,
            bucket.drainPerSecond,
          )
        ) {
          throw Errors.queryLimit();
        }
        if (method === "batch") {
          portal.record("batch", undefined, false);
          const realStart = performance.now();
          const result = await runBatch(world, executor, portal, caller, params);
          const time = timeBlock(startMs, world.clock.nowMs(), (performance.now() - realStart) / 1000);
          return send(reply, 200, { result, time });
        }
        const outcome = await executor.execute(portal, caller, method, params);
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
