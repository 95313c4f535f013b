import type { FastifyInstance } from "fastify";
import { emptyStats, type LatencyRule, type Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { readBody } from "./control-body.js";
import { bad, portalFinder } from "./control-request.js";
import { noBody } from "./control-values.js";
import { newPortalBody, type PortalInput, portalPatchBody } from "./portal-input.js";

/** What the control API needs from the server: new listeners for new portals and domain moves. */
export interface PortalHost {
  createPortal(input: PortalInput): Promise<Portal>;
  moveDomain(portal: Portal): Promise<string>;
}

/** Portals: create, inspect, change, move, delete; their counters and limits. */
export function registerPortalRoutes(app: FastifyInstance, world: World, host: PortalHost): void {
  const withPortal = portalFinder(world);

  app.get("/_emulator/portals", async () => ({
    portals: [...world.portals.values()].map((p) => world.describePortal(p)),
  }));

  app.post("/_emulator/portals", async (request, reply) => {
    const input = readBody(newPortalBody, request.body, reply);
    if (!input) return reply;
    const portal = await host.createPortal(input);
    return reply.code(201).send(world.describePortal(portal));
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return {
      ...world.describePortal(portal),
      users: [...portal.users.values()],
      features: { ...portal.profile.features, ...portal.featureOverrides },
      operatingLimitSeconds: portal.operatingLimitSeconds,
      bucket: portal.bucket,
      latency: portal.latency,
      requestLatencyMs: portal.requestLatencyMs,
      faults: portal.faults,
    };
  });

  app.patch<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    // Everything is checked before anything changes: a refused patch leaves the portal as it was.
    const b = readBody(portalPatchBody, request.body, reply);
    if (!b) return reply;
    if (b.uiUserId !== undefined && !portal.users.has(b.uiUserId))
      return bad(reply, 400, `uiUserId: no user ${b.uiUserId} on this portal`);
    if (b.plan !== undefined) portal.plan = b.plan;
    if (b.modules !== undefined) {
      portal.modules.clear();
      for (const m of b.modules) portal.modules.add(m);
    }
    if (b.features !== undefined) Object.assign(portal.featureOverrides, b.features);
    if (b.operatingLimitSeconds !== undefined) portal.operatingLimitSeconds = b.operatingLimitSeconds;
    if (b.bucket !== undefined) portal.bucketOverride = b.bucket ?? undefined;
    if (b.latency !== undefined) {
      const rules: Record<string, LatencyRule> = {};
      for (const [method, rule] of Object.entries(b.latency)) {
        rules[method.toLowerCase()] = {
          baseMs: rule.baseMs ?? 0,
          perRowMs: rule.perRowMs ?? 0,
          perScannedRowMs: rule.perScannedRowMs ?? 0,
        };
      }
      portal.latency = rules;
    }
    if (b.requestLatencyMs !== undefined) portal.requestLatencyMs = b.requestLatencyMs;
    if (b.uiUserId !== undefined) portal.uiUserId = b.uiUserId;
    return world.describePortal(portal);
  });

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    portal.deleted = true;
    world.grants.revoke(portal.memberId);
    return { deleted: true };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/domain", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal || !readBody(noBody, request.body, reply)) return reply;
    const previous = portal.domain;
    const domain = await host.moveDomain(portal);
    return { previousDomain: previous, domain, clientEndpoint: world.clientEndpoint(portal) };
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m/stats", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return { requests: portal.stats };
  });

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m/stats", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    portal.stats = emptyStats();
    return { requests: portal.stats };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/limits/reset", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal || !readBody(noBody, request.body, reply)) return reply;
    world.buckets.reset(`${portal.memberId}|`);
    world.ledger.reset(`${portal.memberId}|`);
    return { reset: true };
  });
}
