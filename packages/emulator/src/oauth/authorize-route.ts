import type { FastifyInstance } from "fastify";
import type { PortalResolver } from "../http/portal-resolver.js";
import type { World } from "../state/world.js";

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p>`;
}

/**
 * The portal side of the authorization-code flow (docs/protocol.md §1.2), acting
 * for the portal's current UI user. Failures show the portal's own page and
 * never redirect with `error=`, as on a real portal.
 */
export function registerAuthorizeRoute(app: FastifyInstance, world: World, resolver: PortalResolver): void {
  app.get("/oauth/authorize/", async (request, reply) => {
    const portal = resolver.resolve(request, reply);
    if (!portal) return reply;
    const q = request.query as Record<string, string | undefined>;
    const client = world.apps.get(q.client_id ?? "");
    const installation = client ? portal.installations.get(client.clientId) : undefined;
    if (!client || !installation) {
      return reply
        .code(400)
        .type("text/html")
        .send(page("Application not found", "The application is not installed on this portal."));
    }
    const code = world.grants.issueCode(
      {
        memberId: portal.memberId,
        clientId: client.clientId,
        userId: portal.uiUserId,
        scopes: installation.scopes,
      },
      world.clock.nowMs(),
    );
    const target = client.redirectUrl ?? client.appUrl;
    if (!target) return reply.type("text/html").send(page("Authorization code", code.code));
    const query = new URLSearchParams({
      code: code.code,
      state: q.state ?? "",
      domain: portal.domain,
      member_id: portal.memberId,
      scope: installation.scopes.join(","),
      server_domain: world.authServerDomain,
    });
    return reply.redirect(`${target}${target.includes("?") ? "&" : "?"}${query}`, 302);
  });
}
