import type { FastifyInstance } from "fastify";
import { seedCrm } from "../seed/crm-seed.js";
import type { Fault } from "../state/portal.js";
import type { World } from "../state/world.js";
import { readBody } from "./control-body.js";
import { portalFinder } from "./control-request.js";
import { faultBody, seedBody } from "./test-data-input.js";

/** Test tools: seeded CRM data and injected faults. */
export function registerTestDataRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/seed", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const counts = readBody(seedBody, request.body, reply);
    if (!counts) return reply;
    const seeded = seedCrm(portal, counts, world.clock.nowMs());
    return { seeded };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/faults", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(faultBody, request.body, reply);
    if (!b) return reply;
    const { method, count, ...how } = b;
    const fault: Fault = { method: (method ?? "*").toLowerCase(), remaining: count ?? 1, ...how };
    portal.faults.push(fault);
    return reply.code(201).send({ faults: portal.faults });
  });

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m/faults", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    portal.faults = [];
    return { faults: [] };
  });
}
