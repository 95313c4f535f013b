import type { FastifyInstance } from "fastify";
import { allScopes } from "../state/scopes.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { type Body, bad, num, portalFinder, scopeProblem } from "./control-request.js";

/** A portal's users and incoming webhooks. */
export function registerPeopleRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/users", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Partial<PortalUser> & { webhookScopes?: string[] };
    if (b.ID !== undefined && portal.users.has(b.ID)) return bad(reply, 409, `User ${b.ID} exists`);
    const problem = b.webhookScopes && scopeProblem(b.webhookScopes.map(String));
    if (problem) return bad(reply, 400, problem);
    const user = portal.addUser(b);
    const hook = portal.addWebhook(user.ID, b.webhookScopes ?? allScopes());
    return reply
      .code(201)
      .send({ user, webhookUrl: `${world.protocol}://${portal.domain}/rest/${user.ID}/${hook.code}/` });
  });

  app.patch<{ Params: { m: string; id: string } }>(
    "/_emulator/portals/:m/users/:id",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const user = portal.users.get(Number(request.params.id));
      if (!user) return bad(reply, 404, `No user ${request.params.id}`);
      const { ID: _id, ...changes } = (request.body ?? {}) as Partial<PortalUser>;
      Object.assign(user, changes);
      return { user };
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/webhooks", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    const userId = num(b.userId) ?? 1;
    if (!portal.users.has(userId)) return bad(reply, 400, `No user ${userId}`);
    const scopes = Array.isArray(b.scopes) ? b.scopes.map(String) : allScopes();
    const problem = scopeProblem(scopes);
    if (problem) return bad(reply, 400, problem);
    const hook = portal.addWebhook(userId, scopes);
    const expires = num(b.expiresInSeconds);
    if (expires !== undefined) hook.expiresAtMs = world.clock.nowMs() + expires * 1000;
    return reply
      .code(201)
      .send({ url: `${world.protocol}://${portal.domain}/rest/${userId}/${hook.code}/`, scopes });
  });
}
