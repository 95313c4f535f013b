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
 * The portal UI's pages and form posts get the same origin check (a browser sends
 * `Origin` with every cross-site POST; `null` from sandboxed pages is refused too).
 */
export function registerControlGuard(app: FastifyInstance, mainPort: () => number): void {
  app.addHook("onRequest", async (request, reply) => {
    const control = request.url.startsWith("/_emulator/");
    // Everything but the REST endpoint (called cross-origin by frames, by design) and the OAuth server
    // (called by servers) is the portal's own UI: a form on another site must not edit a deal, post a
    // message or install an app in it.
    const portalUi = !control && !request.url.startsWith("/rest/") && !request.url.startsWith("/oauth/");
    if (!control && !portalUi) return;
    if (control && request.socket.localPort !== mainPort()) {
      return reply.code(404).send({ error: "The control API answers on the emulator's main URL only" });
    }
    // The one page a GET changes state with (a visit installs a headless app): a browser marks requests
    // another site made (an <img>, a link) with Sec-Fetch-Site, and those are refused.
    const site = request.headers["sec-fetch-site"];
    if (
      portalUi &&
      request.url.startsWith("/marketplace/install/") &&
      site &&
      site !== "same-origin" &&
      site !== "none"
    ) {
      return reply.code(403).send({ error: "Apps are installed from the portal's own pages only" });
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
