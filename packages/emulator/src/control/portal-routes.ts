import type { FastifyInstance } from "fastify";
import { isModuleId, isPlanId, MODULES } from "../state/plans.js";
import { emptyStats, type LatencyRule, type Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { type Body, bad, num, portalFinder } from "./control-request.js";
import { type PortalInput, parsePortalInput } from "./portal-input.js";

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
    const parsed = parsePortalInput((request.body ?? {}) as Body);
    if (typeof parsed === "string") return bad(reply, 400, parsed);
    const portal = await host.createPortal(parsed);
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
    const b = (request.body ?? {}) as Body;
    const unknown = Object.keys(b).filter((key) => !PORTAL_PATCH_KEYS.includes(key));
    // A misspelt key ({"plann": "free"}) must not answer 200 and change nothing.
    if (unknown.length > 0)
      return bad(reply, 400, `unknown field ${unknown.join(", ")} (known: ${PORTAL_PATCH_KEYS.join(", ")})`);
    if (b.plan !== undefined) {
      if (!isPlanId(b.plan))
        return bad(reply, 400, "plan must be one of free, basic, standard, professional, enterprise");
      portal.plan = b.plan;
    }
    if (b.modules !== undefined) {
      if (!Array.isArray(b.modules) || !b.modules.every(isModuleId))
        return bad(reply, 400, `modules must be a subset of ${MODULES.join(", ")}`);
      portal.modules.clear();
      for (const m of b.modules) portal.modules.add(m);
    }
    if (b.features && typeof b.features === "object") {
      for (const [k, v] of Object.entries(b.features)) portal.featureOverrides[k] = Boolean(v);
    }
    if (b.operatingLimitSeconds !== undefined) {
      const n = num(b.operatingLimitSeconds);
      if (n === undefined || n <= 0)
        return bad(reply, 400, "operatingLimitSeconds must be a positive number");
      portal.operatingLimitSeconds = n;
    }
    if (b.bucket !== undefined) {
      const bucket = b.bucket as Body | null;
      const burst = num(bucket?.burst);
      const drain = num(bucket?.drainPerSecond);
      if (bucket === null) portal.bucketOverride = undefined;
      else if (burst === undefined || drain === undefined)
        return bad(reply, 400, "bucket needs burst and drainPerSecond");
      else portal.bucketOverride = { burst, drainPerSecond: drain };
    }
    if (b.latency !== undefined) {
      const rules: Record<string, LatencyRule> = {};
      for (const [method, rule] of Object.entries((b.latency ?? {}) as Record<string, Body>)) {
        rules[method.toLowerCase()] = {
          baseMs: num(rule.baseMs) ?? 0,
          perRowMs: num(rule.perRowMs) ?? 0,
          perScannedRowMs: num(rule.perScannedRowMs) ?? 0,
        };
      }
      portal.latency = rules;
    }
    if (b.requestLatencyMs !== undefined) {
      const ms = num(b.requestLatencyMs);
      if (ms === undefined || ms < 0) return bad(reply, 400, "requestLatencyMs must be a number >= 0");
      portal.requestLatencyMs = ms;
    }
    if (b.uiUserId !== undefined) {
      const id = num(b.uiUserId);
      if (id === undefined || !portal.users.has(id))
        return bad(reply, 400, "uiUserId must be an existing user id");
      portal.uiUserId = id;
    }
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
    if (!portal) return reply;
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
    if (!portal) return reply;
    world.buckets.reset(`${portal.memberId}|`);
    world.ledger.reset(`${portal.memberId}|`);
    return { reset: true };
  });
}

/** What `PATCH portals/{m}` changes (README, Control API). */
const PORTAL_PATCH_KEYS = [
  "plan",
  "modules",
  "features",
  "operatingLimitSeconds",
  "bucket",
  "latency",
  "requestLatencyMs",
  "uiUserId",
];
