import type { FastifyInstance, FastifyRequest } from "fastify";
import type { World } from "../state/world.js";

/** Requests that may change the world: every write, and the OAuth server's GETs (codes, token grants). */
function mayChange(request: FastifyRequest): boolean {
  if (request.url.startsWith("/oauth/")) return true;
  return request.method !== "GET" && request.method !== "HEAD" && request.method !== "OPTIONS";
}

/**
 * The one place request-driven changes are announced for persistence: after
 * each answer to a request that may have changed something (REST calls, the
 * control API, portal pages and frames, the OAuth server). Work that changes
 * state outside a request (event deliveries, the offline queue's timers)
 * announces itself.
 */
export function registerChangeHook(app: FastifyInstance, world: World): void {
  app.addHook("onResponse", async (request) => {
    if (mayChange(request)) world.onChange();
  });
}
