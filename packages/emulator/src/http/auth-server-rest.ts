import type { FastifyReply, FastifyRequest } from "fastify";
import { Errors, RestError } from "../calls/rest-error.js";
import { authenticate } from "../rest-endpoint/authenticate.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import type { World } from "../state/world.js";
import { requestParams } from "./request-params.js";
import { send } from "./rest-reply.js";
import { parseTarget } from "./rest-target.js";

/**
 * REST on the OAuth server's host: only `app.info`, answered for whichever
 * portal the token belongs to — the "trusted" app.info of protocol.md §1.7.
 * Every other method is unknown there, as on the real auth server.
 */
export async function answerOnAuthServer(
  world: World,
  executor: RestExecutor,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = requestParams(request.url, request.body);
  const { target, method } = parseTarget(request.url, params);
  delete params.auth;
  try {
    if (method !== "app.info" || target.kind !== "oauth") throw Errors.methodNotFound();
    const grant = target.token ? world.grants.access.get(target.token) : undefined;
    const portal = grant ? world.portal(grant.memberId) : undefined;
    if (!target.token) throw Errors.noAuth();
    if (!portal || portal.deleted) throw Errors.invalidToken();
    const caller = authenticate(world, portal, target);
    const outcome = await executor.execute(portal, caller, method, params);
    if (!outcome.ok) return send(reply, outcome.error.status, outcome.error.body());
    return send(reply, 200, { result: outcome.output.result, time: outcome.time });
  } catch (error) {
    const restError = error instanceof RestError ? error : Errors.internal();
    return send(reply, restError.status, restError.body());
  }
}
