import type { FastifyInstance } from "fastify";

/** The host name of a Host header (`127.0.0.1:8480`, `[::1]:8480`, `localhost`), lower-case, brackets off. */
function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return new URL(`http://${header}`).hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * DNS rebinding: a web page on `rebind.example` can make its own name point at
 * 127.0.0.1 and then reach the emulator as if same-origin — Origin and Host
 * would agree. The emulator listens on a developer's machine while they
 * browse, so it answers only requests addressed to one of its own host names,
 * on every route (the control API, webhook URLs in its answers, the portal pages).
 */
export function registerHostGuard(app: FastifyInstance, allowed: ReadonlySet<string>): void {
  app.addHook("onRequest", async (request, reply) => {
    const hostname = hostnameOf(request.headers.host);
    if (hostname && allowed.has(hostname)) return;
    return reply
      .code(421)
      .type("application/json")
      .send({
        error: "MISDIRECTED_REQUEST",
        error_description: `This emulator answers only as ${[...allowed].join(", ")} (add others with allowedHosts)`,
      });
  });
}
