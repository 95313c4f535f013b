import type { FastifyInstance } from "fastify";
import { finishInstall, installApp } from "../events/app-lifecycle.js";
import { newApp } from "../state/app-registry.js";
import { describeInstallation, InstallError } from "../state/installer.js";
import type { World } from "../state/world.js";
import { installationPatchBody, installBody, newAppBody } from "./app-input.js";
import { readBody } from "./control-body.js";
import { bad, portalFinder, scopeProblem } from "./control-request.js";

/** Apps as a vendor registers them, and their installations. */
export function registerAppRoutes(app: FastifyInstance, world: World): void {
  const withPortal = portalFinder(world);

  app.post("/_emulator/apps", async (request, reply) => {
    const b = readBody(newAppBody, request.body, reply);
    if (!b) return reply;
    const record = newApp(b);
    const problem = scopeProblem(record.scopes);
    if (problem) return bad(reply, 400, problem);
    world.apps.set(record.clientId, record);
    return reply.code(201).send({ clientId: record.clientId, clientSecret: record.clientSecret });
  });

  // What a vendor sees of its registration (never the secret): tools reuse a registration only while it exists.
  app.get<{ Params: { c: string } }>("/_emulator/apps/:c", async (request, reply) => {
    const record = world.apps.get(request.params.c);
    if (!record) return bad(reply, 404, "No app with this client id is registered");
    const { id, clientId, code, name, scopes, version, appUrl, installUrl, installHandlerUrl } = record;
    return {
      id,
      clientId,
      code,
      name,
      local: record.clientId.startsWith("local."),
      scopes,
      version,
      appUrl,
      installUrl,
      installHandlerUrl,
    };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/install", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(installBody, request.body, reply);
    if (!b) return reply;
    try {
      const { installation, auth } = installApp(world, portal, b.clientId, b.userId ?? 1);
      return reply.code(201).send({
        ...describeInstallation(installation),
        options: portal.appOptions.get(installation.clientId) ?? {},
        auth,
      });
    } catch (error) {
      if (error instanceof InstallError) return bad(reply, 400, error.message);
      throw error;
    }
  });

  app.get<{ Params: { m: string; c: string } }>("/_emulator/portals/:m/apps/:c", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const installation = portal.installations.get(request.params.c);
    return { ...describeInstallation(installation), options: portal.appOptions.get(request.params.c) ?? {} };
  });

  app.patch<{ Params: { m: string; c: string } }>("/_emulator/portals/:m/apps/:c", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const installation = portal.installations.get(request.params.c);
    if (!installation) return bad(reply, 404, "The app is not installed on this portal");
    const b = readBody(installationPatchBody, request.body, reply);
    if (!b) return reply;
    if (b.paymentRequired !== undefined) installation.paymentRequired = b.paymentRequired;
    if (b.status !== undefined) installation.status = b.status;
    if (b.installed === true && !installation.installed) finishInstall(world, portal, installation.clientId);
    else if (b.installed === false) installation.installed = false;
    return describeInstallation(installation);
  });
}
