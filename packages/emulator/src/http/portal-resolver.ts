import type { FastifyReply, FastifyRequest } from "fastify";
import { Errors } from "../calls/rest-error.js";
import { phpJson } from "../rest-endpoint/envelope.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

/** Each portal has its own listener (its own host:port); the socket's local port tells which one was asked. */
export class PortalResolver {
  readonly #domainByPort = new Map<number, string>();

  constructor(private readonly world: World) {}

  bind(port: number, domain: string): void {
    this.#domainByPort.set(port, domain);
  }

  domainOf(request: FastifyRequest): string | undefined {
    return this.#domainByPort.get(request.socket.localPort ?? 0);
  }

  /**
   * The portal for a portal-facing request, or undefined after replying:
   * 302 to the new domain after a move (§3.6), PORTAL_DELETED when deleted.
   */
  resolve(request: FastifyRequest, reply: FastifyReply): Portal | undefined {
    const domain = this.domainOf(request);
    const portal = domain ? this.world.portalByDomain(domain) : undefined;
    if (!portal) {
      reply.code(404).type("application/json").send(phpJson(Errors.methodNotFound().body()));
      return undefined;
    }
    if (portal.domain !== domain) {
      reply.redirect(`${this.world.protocol}://${portal.domain}${request.url}`, 302);
      return undefined;
    }
    if (portal.deleted) {
      const error = Errors.portalDeleted(this.world.settings.portalDeletedStatus);
      reply.code(error.status).type("application/json").send(phpJson(error.body()));
      return undefined;
    }
    return portal;
  }
}
