import type { FastifyInstance } from "fastify";
import { Errors } from "../calls/rest-error.js";
import { phpJson } from "../rest-endpoint/envelope.js";
import type { World } from "../state/world.js";

const WEBHOOK_PATH = /^\/rest\/(?:api\/)?(\d+)\/([^/?#]+)\//;

/**
 * A call to a webhook that does not exist is refused before its body is read:
 * any web page can POST a large form to a made-up webhook URL, and nothing of
 * it should be parsed for a caller that cannot be authenticated.
 */
export function registerWebhookPrecheck(app: FastifyInstance, world: World): void {
  app.addHook("onRequest", async (request, reply) => {
    const match = WEBHOOK_PATH.exec(request.url);
    if (!match || request.method === "OPTIONS") return;
    const portal = world.portalByDomain(request.headers.host ?? "");
    // Unknown or moved portals are answered by the REST route itself (404, 302).
    if (!portal || portal.domain !== request.headers.host) return;
    const hook = portal.webhooks.get(match[2]!);
    if (hook && hook.userId === Number(match[1])) return;
    const error = Errors.noAuth();
    return reply.code(error.status).type("application/json; charset=utf-8").send(phpJson(error.body()));
  });
}
