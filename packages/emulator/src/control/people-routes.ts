import type { FastifyInstance } from "fastify";
import { allScopes } from "../state/scopes.js";
import type { World } from "../state/world.js";
import { readBody } from "./control-body.js";
import { bad, portalFinder, scopeProblem } from "./control-request.js";
import { newUserBody, newWebhookBody, userFields } from "./people-input.js";

/** A portal's users and incoming webhooks. */
export function registerPeopleRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/users", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const body = readBody(newUserBody, request.body, reply);
    if (!body) return reply;
    const { webhookScopes, ...fields } = body;
    if (fields.ID !== undefined && portal.users.has(fields.ID))
      return bad(reply, 409, `User ${fields.ID} exists`);
    const problem = webhookScopes && scopeProblem(webhookScopes);
    if (problem) return bad(reply, 400, problem);
    const user = portal.addUser(fields);
    const hook = portal.addWebhook(user.ID, webhookScopes ?? allScopes());
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
      const body = readBody(userFields, request.body, reply);
      if (!body) return reply;
      // A user's id is where it is filed: the same id may come along (a GET's user sent back), another may not.
      const { ID, ...changes } = body;
      if (ID !== undefined && ID !== user.ID)
        return bad(reply, 400, `ID: a user's id cannot change (${user.ID})`);
      Object.assign(user, changes);
      return { user };
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/webhooks", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(newWebhookBody, request.body, reply);
    if (!b) return reply;
    const userId = b.userId ?? 1;
    if (!portal.users.has(userId)) return bad(reply, 400, `userId: no user ${userId} on this portal`);
    const scopes = b.scopes ?? allScopes();
    const problem = scopeProblem(scopes);
    if (problem) return bad(reply, 400, problem);
    const hook = portal.addWebhook(userId, scopes);
    if (b.expiresInSeconds !== undefined) hook.expiresAtMs = world.clock.nowMs() + b.expiresInSeconds * 1000;
    return reply
      .code(201)
      .send({ url: `${world.protocol}://${portal.domain}/rest/${userId}/${hook.code}/`, scopes });
  });
}
