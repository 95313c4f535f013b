import type { FastifyInstance } from "fastify";
import type { Params } from "../calls/params.js";
import { finishInstall, uninstallApp, updateApp } from "../events/app-lifecycle.js";
import { envelopeOf } from "../rest-endpoint/envelope.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import { describeInstallation, InstallError } from "../state/installer.js";
import type { Portal } from "../state/portal.js";
import { allScopes } from "../state/scopes.js";
import type { World } from "../state/world.js";
import { automationBody, deliveriesQuery, uninstallBody, uninstallQuery, updateBody } from "./app-input.js";
import { readBody } from "./control-body.js";
import { bad, portalFinder } from "./control-request.js";
import { noBody } from "./control-values.js";

/**
 * Control API for the app lifecycle and event deliveries (docs/protocol.md §2, §7):
 * install-finish, update, uninstall, the delivery log, writes "by the portal
 * itself" (automation: events without tokens) and a wait for the event queue.
 */
export function registerAppLifecycleRoutes(app: FastifyInstance, world: World, executor: RestExecutor): void {
  const withPortal = portalFinder(world);
  const describe = (portal: Portal, clientId: string) => ({
    ...describeInstallation(portal.installations.get(clientId)),
    options: portal.appOptions.get(clientId) ?? {},
  });

  app.post<{ Params: { m: string; c: string } }>(
    "/_emulator/portals/:m/apps/:c/install-finish",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal || !readBody(noBody, request.body, reply)) return reply;
      try {
        finishInstall(world, portal, request.params.c);
      } catch (error) {
        if (error instanceof InstallError) return bad(reply, 404, error.message);
        throw error;
      }
      return describe(portal, request.params.c);
    },
  );

  app.post<{ Params: { m: string; c: string } }>(
    "/_emulator/portals/:m/apps/:c/update",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const b = readBody(updateBody, request.body, reply);
      if (!b) return reply;
      const { version, userId } = b;
      if (userId !== undefined && !portal.users.has(userId))
        return bad(reply, 400, `userId: no user ${userId} on this portal`);
      try {
        updateApp(world, portal, request.params.c, {
          ...(version !== undefined ? { version } : {}),
          ...(userId !== undefined ? { userId } : {}),
        });
      } catch (error) {
        if (error instanceof InstallError) return bad(reply, 404, error.message);
        throw error;
      }
      return describe(portal, request.params.c);
    },
  );

  app.delete<{ Params: { m: string; c: string }; Querystring: { clean?: string } }>(
    "/_emulator/portals/:m/apps/:c",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const body = readBody(uninstallBody, request.body, reply);
      if (!body) return reply;
      const query = readBody(uninstallQuery, request.query, reply);
      if (!query) return reply;
      const clean = query.clean ?? body.clean ?? false;
      try {
        uninstallApp(world, portal, request.params.c, clean);
      } catch (error) {
        if (error instanceof InstallError) return bad(reply, 404, error.message);
        throw error;
      }
      return { uninstalled: true, clean, ...describe(portal, request.params.c) };
    },
  );

  app.get<{ Params: { m: string }; Querystring: { clientId?: string; event?: string } }>(
    "/_emulator/portals/:m/deliveries",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const query = readBody(deliveriesQuery, request.query, reply);
      if (!query) return reply;
      const { clientId, event } = query;
      const deliveries = world.deliveries
        .forPortal(portal.memberId)
        .filter((r) => (!clientId || r.clientId === clientId) && (!event || r.event === event.toUpperCase()));
      return { deliveries };
    },
  );

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m/deliveries", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const records = world.deliveries.records;
    for (let i = records.length - 1; i >= 0; i--)
      if (records[i]!.memberId === portal.memberId) records.splice(i, 1);
    return { deliveries: [] };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/automation", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(automationBody, request.body, reply);
    if (!b) return reply;
    const params = (b.params ?? {}) as Params;
    const outcome = await executor.execute(
      portal,
      { kind: "webhook", userId: 1, scopes: new Set(allScopes()), accountingKey: "system", system: true },
      b.method,
      params,
    );
    const { status, body } = envelopeOf(outcome);
    return reply.code(status).send(body);
  });

  const idle = async () => {
    world.offlineEvents.flushDue();
    await world.events.idle();
    return { idle: true };
  };
  app.post("/_emulator/events/idle", async (request, reply) =>
    readBody(noBody, request.body, reply) ? idle() : reply,
  );
  app.get("/_emulator/events/idle", idle);
}
