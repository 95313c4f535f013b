import type { FastifyInstance, FastifyReply } from "fastify";
import type { CallOutcome } from "../calls/call-outcome.js";
import { Errors, RestError } from "../calls/rest-error.js";
import { asV3, V3Errors } from "../calls/v3-errors.js";
import { authenticate, type RestTarget } from "../rest-endpoint/authenticate.js";
import { phpJson, refusal } from "../rest-endpoint/envelope.js";
import { DropConnection, type RestExecutor } from "../rest-endpoint/executor.js";
import { bodyHash, type IdempotencyStore, validIdempotencyKey } from "../rest-endpoint/idempotency-store.js";
import { sleep } from "../rest-endpoint/sleep.js";
import type { World } from "../state/world.js";
import type { PortalResolver } from "./portal-resolver.js";
import { cors } from "./rest-reply.js";

/** `/rest/api/{user}/{code}/{method}` (webhook) or `/rest/api/{method}` with the token in `auth` or a Bearer header. */
function v3Target(
  url: string,
  body: Record<string, unknown>,
  authorization?: string,
): { target: RestTarget; method: string } {
  const segments = (url.split("?")[0] ?? "").split("/").filter(Boolean).slice(2);
  const [first, second] = segments;
  if (segments.length >= 3 && first && second && /^\d+$/.test(first))
    return {
      target: { kind: "webhook", userId: Number(first), code: second },
      method: segments.slice(2).join("/"),
    };
  const auth = typeof body.auth === "string" && body.auth !== "" ? body.auth : undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  return { target: { kind: "oauth", token: auth ?? bearer }, method: segments.join("/") };
}

function sendV3(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send(phpJson(body));
}

/**
 * REST 3.0 (api-reference/rest-v3.md): JSON bodies only (a form body answers
 * INVALIDJSONEXCEPTION), no parameters from the query string, answers
 * `{result, time}` or `{error: {code, message, validation?}}`, the same
 * auth, scopes, rights and limits as the classic endpoint, and repeats
 * without duplicates through `Idempotency-Key`.
 */
export function registerRestV3Route(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  executor: RestExecutor,
  idempotency: IdempotencyStore,
): void {
  app.route({
    method: ["GET", "POST", "OPTIONS"],
    url: "/rest/api/*",
    handler: async (request, reply) => {
      cors(request, reply);
      if (request.method === "OPTIONS") return reply.code(204).send();
      const portal = resolver.resolve(request, reply);
      if (!portal) return reply;
      portal.record(undefined, undefined, true);
      await sleep(portal.requestLatencyMs);
      const startMs = world.clock.nowMs();
      const type = String(request.headers["content-type"] ?? "");
      const hasBody =
        Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"];
      const body = (request.body && typeof request.body === "object" ? request.body : {}) as Record<
        string,
        unknown
      >;
      const { target, method } = v3Target(request.url, body, request.headers.authorization);
      const params = { ...body };
      delete params.auth;
      const key = request.headers["idempotency-key"];
      const keyText = Array.isArray(key) ? key[0] : key;
      if (keyText !== undefined) reply.header("Idempotency-Key", keyText);
      let scope = "";
      let replayed: unknown;
      const answer = async (): Promise<CallOutcome | undefined> => {
        try {
          if (hasBody && !type.startsWith("application/json")) throw V3Errors.invalidJson();
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
          if (keyText !== undefined) {
            if (!validIdempotencyKey(keyText)) throw V3Errors.invalidIdempotencyKey();
            scope = `${portal.memberId}|${caller.accountingKey}|${caller.userId}|${method.toLowerCase()}`;
            const stored = idempotency.lookup(scope, keyText, world.clock.nowMs());
            if (stored) {
              if (stored.bodyHash !== bodyHash(params)) throw V3Errors.idempotencyKeyReused();
              // The method does not run again: the stored answer, marked as a repeat.
              replayed = stored.answer;
              return undefined;
            }
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
        const outcome = await answer();
        if (!outcome) {
          reply.header("Idempotent-Replayed", "true");
          return sendV3(reply, 200, replayed);
        }
        if (!outcome.ok) {
          const error = asV3(outcome.error instanceof RestError ? outcome.error : Errors.internal());
          return sendV3(reply, error.status, error.body());
        }
        const envelope = { result: outcome.output.result, time: outcome.time };
        // Only successful answers are kept: after an error the same key runs the method again.
        if (scope && keyText !== undefined)
          idempotency.remember(
            scope,
            keyText,
            { bodyHash: bodyHash(params), status: 200, answer: envelope },
            world.clock.nowMs(),
          );
        return sendV3(reply, 200, envelope);
      } catch (error) {
        if (!(error instanceof DropConnection)) throw error;
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
    },
  });
}
