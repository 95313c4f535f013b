import type { FastifyReply, FastifyRequest } from "fastify";
import { Errors } from "../calls/rest-error.js";
import { authenticate } from "../rest-endpoint/authenticate.js";
import { envelopeOf, refusal } from "../rest-endpoint/envelope.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import type { World } from "../state/world.js";
import { requestParams } from "./request-params.js";
import { send } from "./rest-reply.js";
import { parseTarget } from "./rest-target.js";

/**
 * REST on the OAuth server's host: only `app.info`, answered for whichever
 * portal the token belongs to — the "trusted" app.info of docs/protocol.md §1.7.
 * Every other method is unknown there, as on the real auth server.
 */
export async function answerOnAuthServer(
  world: World,
  executor: RestExecutor,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = requestParams(request.url, request.body);
  const { target, method } = parseTarget(request.url, params, request.headers.authorization);
  delete params.auth;
  try {
    if (method !== "app.info" || target.kind !== "oauth") throw Errors.methodNotFound();
    const grant = target.token ? world.grants.access.get(target.token) : undefined;
    const portal = grant ? world.portal(grant.memberId) : undefined;
    if (!target.token) throw Errors.noAuth();
    if (!portal || portal.deleted) throw Errors.invalidToken();
    const caller = authenticate(world, portal, target);
    const { status, body } = envelopeOf(await executor.execute(portal, caller, method, params));
    return send(reply, status, body);
  } catch (error) {
    const { status, body } = envelopeOf(refusal(error));
    return send(reply, status, body);
  }
}
