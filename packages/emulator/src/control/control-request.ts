import type { FastifyReply } from "fastify";
import { catalogue } from "../calls/catalogue.js";
import type { Portal } from "../state/portal.js";
import { unknownScopes } from "../state/scopes.js";
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

const PAGE_SCOPES = new Set([...catalogue.allClassic(), ...catalogue.allV3()].map((entry) => entry.scope));

/** Why a grant of these scopes cannot be made (codes no portal knows), or undefined when it can. */
export function scopeProblem(scopes: readonly string[]): string | undefined {
  const unknown = unknownScopes(scopes, PAGE_SCOPES);
  if (unknown.length === 0) return undefined;
  return `Unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}: api-reference/scopes/permissions.md lists the codes`;
}
