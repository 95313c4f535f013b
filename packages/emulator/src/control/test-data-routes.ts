import type { FastifyInstance } from "fastify";
import { seedCrm } from "../seed/crm-seed.js";
import type { Fault } from "../state/portal.js";
import type { World } from "../state/world.js";
import { type Body, bad, num, portalFinder } from "./control-request.js";

/** Test tools: seeded CRM data and injected faults. */
export function registerTestDataRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/seed", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    const counts = {
      deals: num(b.deals),
      contacts: num(b.contacts),
      companies: num(b.companies),
      leads: num(b.leads),
    };
    for (const [k, v] of Object.entries(counts)) {
      if (v !== undefined && (v < 0 || !Number.isInteger(v)))
        return bad(reply, 400, `${k} must be a whole number`);
    }
    const seeded = seedCrm(
      portal,
      Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== undefined)),
      world.clock.nowMs(),
    );
    return { seeded };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/faults", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    const fault: Fault = { method: String(b.method ?? "*").toLowerCase(), remaining: num(b.count) ?? 1 };
    if (num(b.status) !== undefined) fault.status = num(b.status)!;
    if (typeof b.error === "string") fault.error = b.error;
    if (typeof b.description === "string") fault.description = b.description;
    if (num(b.latencyMs) !== undefined) fault.latencyMs = num(b.latencyMs)!;
    if (b.drop === true) fault.drop = true;
    if (!fault.status && !fault.error && !fault.latencyMs && !fault.drop) {
      return bad(reply, 400, "a fault needs status/error, latencyMs or drop");
    }
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
