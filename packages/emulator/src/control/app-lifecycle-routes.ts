import type { FastifyInstance, FastifyReply } from "fastify";
import type { Params } from "../calls/params.js";
import { finishInstall, uninstallApp, updateApp } from "../events/app-lifecycle.js";
import { envelopeOf } from "../rest-endpoint/envelope.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import { describeInstallation, InstallError } from "../state/installer.js";
import type { Portal } from "../state/portal.js";
import { allScopes } from "../state/scopes.js";
import type { World } from "../state/world.js";

type Body = Record<string, unknown>;

function bad(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}

function flagValue(v: unknown): boolean {
  return (
    v === true || v === 1 || (typeof v === "string" && ["1", "y", "true", "yes"].includes(v.toLowerCase()))
  );
}

function positiveInt(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Control API for the app lifecycle and event deliveries (docs/protocol.md §2, §7):
 * install-finish, update, uninstall, the delivery log, writes "by the portal
 * itself" (automation: events without tokens) and a wait for the event queue.
 */
export function registerAppLifecycleRoutes(app: FastifyInstance, world: World, executor: RestExecutor): void {
  const withPortal = (memberId: string, reply: FastifyReply): Portal | undefined => {
    const portal = world.portal(memberId);
    if (!portal) bad(reply, 404, `No portal with member_id ${memberId}`);
    return portal;
  };
  const describe = (portal: Portal, clientId: string) => ({
    ...describeInstallation(portal.installations.get(clientId)),
    options: portal.appOptions.get(clientId) ?? {},
  });

  app.post<{ Params: { m: string; c: string } }>(
    "/_emulator/portals/:m/apps/:c/install-finish",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
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
      const b = (request.body ?? {}) as Body;
      const version = b.version === undefined ? undefined : positiveInt(b.version);
      if (b.version !== undefined && version === undefined)
        return bad(reply, 400, "version must be a positive integer");
      const userId = b.userId === undefined ? undefined : positiveInt(b.userId);
      if (userId !== undefined && !portal.users.has(userId)) return bad(reply, 400, `No user ${userId}`);
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
      const body = (request.body ?? {}) as Body;
      const clean = flagValue(request.query.clean ?? body.clean);
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
      const { clientId, event } = request.query;
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
    const b = (request.body ?? {}) as Body;
    if (typeof b.method !== "string" || b.method === "") return bad(reply, 400, "method is required");
    const params = (b.params && typeof b.params === "object" ? b.params : {}) as Params;
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
  app.post("/_emulator/events/idle", idle);
  app.get("/_emulator/events/idle", idle);
}
