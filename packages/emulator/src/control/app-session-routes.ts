import type { FastifyInstance } from "fastify";
import { CRM_PLACEMENT_ENTITIES, findPlacement } from "../placements/catalogue.js";
import type { FrameSessions } from "../portal-ui/frame-sessions.js";
import { frameUrlProblem } from "../portal-ui/frame-sessions.js";
import { placementTitle, userMayUseApp } from "../portal-ui/visibility.js";
import { issueAuth } from "../state/app-auth.js";
import type { World } from "../state/world.js";
import { openAppBody, openPlacementBody, tokensBody } from "./app-input.js";
import { readBody } from "./control-body.js";
import { type Body, bad, portalFinder } from "./control-request.js";
import { openUserField } from "./userfield-open.js";

const CRM_PAGES: Record<number, string> = {
  [CRM_PLACEMENT_ENTITIES.LEAD]: "lead",
  [CRM_PLACEMENT_ENTITIES.DEAL]: "deal",
  [CRM_PLACEMENT_ENTITIES.CONTACT]: "contact",
  [CRM_PLACEMENT_ENTITIES.COMPANY]: "company",
};

/**
 * What a test needs to act as an installed app for a given user without a
 * browser: the token pair the portal hands a frame, and the exact request the
 * portal sends when that user opens a placement (contracts.md, control API).
 */
export function registerAppSessionRoutes(app: FastifyInstance, world: World, sessions: FrameSessions): void {
  const withPortal = portalFinder(world);

  app.post<{ Params: { m: string; c: string } }>(
    "/_emulator/portals/:m/apps/:c/tokens",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const installation = portal.installations.get(request.params.c);
      if (!installation) return bad(reply, 404, "The app is not installed on this portal");
      const b = readBody(tokensBody, request.body, reply);
      if (!b) return reply;
      const userId = b.userId ?? 1;
      const user = portal.users.get(userId);
      if (!user?.ACTIVE) return bad(reply, 400, `No active user ${userId} on this portal`);
      const auth = issueAuth(world, portal, installation, userId);
      return reply.code(201).send(auth);
    },
  );

  // The app's own page as `userId` opens it from the portal (docs/protocol.md §2.1–2.2): the installer
  // (install mode) for an admin while the installation is unfinished, else the app's URL, PLACEMENT=DEFAULT.
  app.post<{ Params: { m: string; c: string } }>(
    "/_emulator/portals/:m/apps/:c/open",
    async (request, reply) => {
      const portal = withPortal(request.params.m, reply);
      if (!portal) return reply;
      const installation = portal.installations.get(request.params.c);
      const registered = world.apps.get(request.params.c);
      if (!installation || !registered) return bad(reply, 404, "The app is not installed on this portal");
      const b = readBody(openAppBody, request.body, reply);
      if (!b) return reply;
      const userId = b.userId ?? 1;
      const user = portal.users.get(userId);
      if (!user || !userMayUseApp(installation, user))
        return bad(reply, 403, `User ${userId} may not use the app`);
      const install = !installation.installed;
      if (install && !(user.ADMIN && registered.installUrl))
        return bad(reply, 409, "The installation is not finished; only an admin can open the installer");
      const handler = install ? registered.installUrl : registered.appUrl;
      if (!handler) return bad(reply, 404, "The app has no page");
      const refused = frameUrlProblem(world, handler);
      if (refused) return bad(reply, 403, refused);
      const options = b.options ?? {};
      const frame = sessions.open({
        portal,
        installation,
        userId,
        placement: "DEFAULT",
        handler,
        options,
        domain: portal.domain,
        install,
        title: registered.name ?? registered.clientId,
      });
      return reply
        .code(201)
        .send({ url: frame.action, method: "POST", fields: frame.fields, title: frame.title, install });
    },
  );

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/placements/open", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = readBody(openPlacementBody, request.body, reply);
    if (!b) return reply;
    const code = b.placement.toUpperCase();
    const installation = portal.installations.get(b.clientId);
    if (!installation?.installed) return bad(reply, 404, "The app is not (fully) installed on this portal");
    const userId = b.userId ?? 1;
    const user = portal.users.get(userId);
    if (!user || !userMayUseApp(installation, user))
      return bad(reply, 403, `User ${userId} may not use the app`);
    if (code === "USERFIELD_TYPE") {
      // A field's frame: the type's handler, not a placement binding (userfield-open.ts).
      const opened = openUserField(world, portal, user, b.clientId, b.options ?? {});
      if ("status" in opened) return bad(reply, opened.status, opened.message);
      const frame = sessions.open({
        portal,
        installation: opened.installation,
        userId,
        placement: code,
        handler: opened.handler,
        options: opened.options,
        domain: portal.domain,
        title: opened.title,
      });
      return reply
        .code(201)
        .send({ url: frame.action, method: "POST", fields: frame.fields, title: frame.title });
    }
    const binding = installation.placements.find(
      (p) => p.placement === code && (p.userId === 0 || p.userId === userId),
    );
    if (!binding) return bad(reply, 404, `The app has no ${code} placement bound for user ${userId}`);
    const refused = frameUrlProblem(world, binding.handler);
    if (refused) return bad(reply, 403, refused);
    const spec = findPlacement(portal, code);
    const given = b.options ?? {};
    // Only the keys this placement's handler receives (as in the portal's pages).
    const options: Body = {};
    for (const key of spec?.optionKeys ?? []) if (given[key] !== undefined) options[key] = given[key];
    const page = spec?.entityTypeId !== undefined ? CRM_PAGES[spec.entityTypeId] : undefined;
    const uri =
      b.uri !== undefined
        ? b.uri
        : page && options.ID !== undefined
          ? `/crm/${page}/details/${options.ID}/`
          : undefined;
    const app = world.apps.get(installation.clientId);
    const frame = sessions.open({
      portal,
      installation,
      userId,
      placement: code,
      handler: binding.handler,
      options,
      ...(uri !== undefined ? { uri } : {}),
      domain: portal.domain,
      bindingId: binding.id,
      title: app ? placementTitle(binding, app) : binding.title,
      plainGet: spec?.plainGet ?? false,
    });
    return reply.code(201).send({
      url: frame.action,
      method: frame.plainGet ? "GET" : "POST",
      fields: frame.fields,
      title: frame.title,
    });
  });
}
