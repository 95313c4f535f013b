import type { FastifyInstance, FastifyRequest } from "fastify";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

function sameOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * The control API can install apps and act as an admin, so it must not be
 * reachable from a web page: it answers only on the main listener, refuses
 * state-changing requests from another origin, and takes JSON only (a
 * cross-origin JSON request needs a CORS preflight, which it never grants).
 * The portal UI's own endpoints get the same origin check.
 */
export function registerControlGuard(app: FastifyInstance, mainPort: () => number): void {
  app.addHook("onRequest", async (request, reply) => {
    const control = request.url.startsWith("/_emulator/");
    const portalUi = request.url.startsWith("/_portal/");
    if (!control && !portalUi) return;
    if (control && request.socket.localPort !== mainPort()) {
      return reply.code(404).send({ error: "The control API answers on the emulator's main URL only" });
    }
    if (SAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin && !sameOrigin(request, origin)) {
      return reply.code(403).send({ error: `Refused a ${request.method} from another origin (${origin})` });
    }
    const type = request.headers["content-type"];
    if (control && type && !type.startsWith("application/json")) {
      return reply.code(415).send({ error: "The control API takes application/json bodies only" });
    }
  });
}
