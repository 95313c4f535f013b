import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AUTOMATED, type AutomatedEntity, addRule, rulesOf } from "../automation/automation-rules.js";
import { robotByCode } from "../automation/robot-records.js";
import { runsOf } from "../automation/robot-runs.js";
import type { World } from "../state/world.js";
import { readBody } from "./control-body.js";
import { bad, portalFinder } from "./control-request.js";

const entity = z.enum(Object.keys(AUTOMATED) as [AutomatedEntity, ...AutomatedEntity[]]);

/** A robot placed on a stage, as the automation page places it. */
const ruleBody = z
  .object({
    entity: entity.default("DEAL"),
    categoryId: z.number().int().min(0).default(0),
    stageId: z.string().min(1),
    clientId: z.string().min(1),
    code: z.string().min(1),
    values: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * Control API for CRM automation (README "Automation robots"): place an app's
 * robot on a stage without the page (seeding, tests), list the placements and
 * what the robots did.
 */
export function registerAutomationRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/automation-rules", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(ruleBody, request.body, reply);
    if (!b) return reply;
    if (!(AUTOMATED[b.entity].stages as readonly string[]).includes(b.stageId))
      return bad(
        reply,
        400,
        `stageId: ${b.entity} has no stage ${b.stageId} (${AUTOMATED[b.entity].stages.join(", ")})`,
      );
    if (!robotByCode(portal, b.clientId, b.code))
      return bad(reply, 404, `app ${b.clientId} has registered no robot ${b.code} on this portal`);
    const rule = addRule(portal, {
      ENTITY: b.entity,
      CATEGORY_ID: b.categoryId,
      STAGE_ID: b.stageId,
      CLIENT_ID: b.clientId,
      CODE: b.code,
      VALUES: b.values,
      CREATED_BY: 1,
    });
    world.onChange();
    return reply.code(201).send({ rule });
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m/automation-rules", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return { rules: (Object.keys(AUTOMATED) as AutomatedEntity[]).flatMap((e) => rulesOf(portal, e)) };
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m/robot-runs", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return { runs: runsOf(portal, world.clock.nowMs()) };
  });
}
