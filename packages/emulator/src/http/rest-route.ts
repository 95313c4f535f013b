import type { FastifyInstance } from "fastify";
import type { CallOutcome } from "../calls/call-outcome.js";
import { Errors } from "../calls/rest-error.js";
import { timeBlock } from "../portal-time.js";
import { authenticate } from "../rest-endpoint/authenticate.js";
import { runBatch } from "../rest-endpoint/batch.js";
import { envelopeOf, refusal } from "../rest-endpoint/envelope.js";
import { DropConnection, type RestExecutor } from "../rest-endpoint/executor.js";
import { sleep } from "../rest-endpoint/sleep.js";
import { xmlEnvelope } from "../rest-endpoint/xml-envelope.js";
import type { World } from "../state/world.js";
import { answerOnAuthServer } from "./auth-server-rest.js";
import type { PortalResolver } from "./portal-resolver.js";
import { requestParams } from "./request-params.js";
import { cors, send } from "./rest-reply.js";
import { parseTarget } from "./rest-target.js";

/** The classic REST endpoint: `/rest/{method}` and `/rest/{user}/{webhook}/{method}` (docs/protocol.md §3). */
export function registerRestRoute(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  executor: RestExecutor,
  authPort: () => number,
): void {
  app.route({
    // The portal reads parameters whatever the verb; PUT, PATCH and DELETE get its envelopes too.
    method: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
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
      const { target, method, format } = parseTarget(request.url, params, request.headers.authorization);
      delete params.auth;
      // One channel: refusals before any method ran become outcomes like the method's own.
      const answer = async (): Promise<CallOutcome> => {
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
          )
            throw Errors.queryLimit();
          if (method === "batch") {
            portal.record("batch", undefined, false);
            const realStart = performance.now();
            const result = await runBatch(world, executor, portal, caller, params);
            const time = timeBlock(startMs, world.clock.nowMs(), (performance.now() - realStart) / 1000);
            return { ok: true, output: { result }, time };
          }
          return await executor.execute(portal, caller, method, params);
        } catch (error) {
          if (error instanceof DropConnection) throw error;
          const outcome = refusal(error);
          if (!outcome.ok) portal.record(undefined, outcome.error.code, false);
          return outcome;
        }
      };
      try {
        const { status, body } = envelopeOf(await answer());
        if (format === "xml")
          return reply.code(status).type("text/xml; charset=utf-8").send(xmlEnvelope(body));
        return send(reply, status, body);
      } catch (error) {
        if (!(error instanceof DropConnection)) throw error;
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
    },
  });
}
