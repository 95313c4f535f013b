import type { FastifyReply } from "fastify";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

export type Body = Record<string, unknown>;

/** A control-API error: `{error: message}` with the status. */
export function bad(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}

/** A number from JSON or a query string; undefined when it is not one. */
export function num(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** Looks up the portal of a route, answering 404 when there is none. */
export function portalFinder(world: World): (memberId: string, reply: FastifyReply) => Portal | undefined {
  return (memberId, reply) => {
    const portal = world.portal(memberId);
    if (!portal) bad(reply, 404, `No portal with member_id ${memberId}`);
    return portal;
  };
}
