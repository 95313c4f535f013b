import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { finishInstall } from "../events/app-lifecycle.js";
import type { PortalResolver } from "../http/portal-resolver.js";
import { legacyEntity } from "../methods/crm/crm-entities.js";
import { visibleRows } from "../methods/crm/crm-rights.js";
import { findPlacement } from "../placements/catalogue.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import type { Installation, Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { CRM_CODES, recordName } from "./crm-pages.js";
import { type FrameSession, type FrameSessions, frameUrlProblem, UI_LANG } from "./frame-sessions.js";
import { switchableUsers, userName } from "./layout.js";
import { frameCaller } from "./ui-caller.js";
import { placementTitle, userMayUseApp } from "./visibility.js";

/*
 * Server side of the frame message protocol (docs/protocol.md §9.3), under
 * `/_portal/frame/…` on the portal's own host. The page's script parses the
 * frame's messages and calls these for everything that needs the portal's
 * state: init data, fresh tokens, installFinish, options, openApplication and
 * the pickers' data. A frame is addressed by its APP_SID.
 */

type Body = Record<string, unknown>;

/** Seconds of validity below which getInitData hands out a fresh token instead. */
const MIN_TOKEN_SECONDS = 60;

/** CRM picker prefixes (selectCRM ids look like "D_5"). */
const CRM_PREFIX: Record<string, string> = { lead: "L", deal: "D", contact: "C", company: "CO" };

function fail(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

/** The page's own host as the browser addressed it (DOMAIN of the frame), falling back to the portal's. */
export function pageHost(request: FastifyRequest, portal: Portal): string {
  const host = request.headers.host;
  return typeof host === "string" && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? host : portal.domain;
}

/** The user the portal's pages act for (the admin when the switched-to user is gone). */
export function uiUser(portal: Portal): PortalUser {
  const user = portal.users.get(portal.uiUserId);
  if (user?.ACTIVE && !user.IS_BOT) return user;
  return portal.users.get(1) ?? [...portal.users.values()][0]!;
}

export function registerFrameRoutes(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  sessions: FrameSessions,
  executor: RestExecutor,
): void {
  interface Bound {
    portal: Portal;
    session: FrameSession;
    installation: Installation;
    user: PortalUser;
  }

  const bound = (
    request: FastifyRequest<{ Params: { sid: string } }>,
    reply: FastifyReply,
  ): Bound | undefined => {
    const portal = resolver.resolve(request, reply);
    if (!portal) return undefined;
    const session = sessions.get(request.params.sid);
    const installation = session ? portal.installations.get(session.clientId) : undefined;
    const user = session ? portal.users.get(session.userId) : undefined;
    if (!session || session.memberId !== portal.memberId || !installation || !user?.ACTIVE) {
      fail(reply, 404, "Unknown frame");
      return undefined;
    }
    return { portal, session, installation, user };
  };

  const initData = ({ portal, session, installation, user }: Bound) => {
    const nowS = Math.floor(world.clock.nowMs() / 1000);
    if (session.auth.expires - nowS < MIN_TOKEN_SECONDS) sessions.refresh(session, portal, installation);
    return {
      LANG: UI_LANG,
      DOMAIN: session.domain,
      PROTOCOL: session.protocol,
      PATH: "/rest",
      AUTH_ID: session.auth.access_token,
      AUTH_EXPIRES: Math.max(0, session.auth.expires - nowS),
      REFRESH_ID: session.auth.refresh_token,
      MEMBER_ID: portal.memberId,
      FIRST_RUN: sessions.isFirstRun(session, installation),
      IS_ADMIN: user.ADMIN,
      INSTALL: session.install && !installation.installed,
      USER_OPTIONS: { ...(portal.userOptions.get(`${session.clientId}|${session.userId}`) ?? {}) },
      APP_OPTIONS: { ...(portal.appOptions.get(session.clientId) ?? {}) },
      PLACEMENT: session.placement,
      PLACEMENT_OPTIONS: session.options,
    };
  };

  /** A placement frame asked for by a tab or button of the current page (opened lazily). */
  app.post("/_portal/frame/open", async (request, reply) => {
    const portal = resolver.resolve(request, reply);
    if (!portal) return reply;
    const user = uiUser(portal);
    const b = (request.body ?? {}) as Body;
    const installation = portal.installations.get(text(b.clientId));
    const bindingId = Number(b.bindingId);
    const binding = installation?.placements.find((p) => p.id === bindingId);
    if (!installation || !binding || binding.placement !== text(b.placement))
      return fail(reply, 404, "No such placement");
    if (!installation.installed) return fail(reply, 403, "The application is not fully installed");
    if (!userMayUseApp(installation, user) || (binding.userId > 0 && binding.userId !== user.ID))
      return fail(reply, 403, "Access denied");
    const refused = frameUrlProblem(world, binding.handler);
    if (refused) return fail(reply, 403, refused);
    const spec = findPlacement(portal, binding.placement);
    const given = b.options && typeof b.options === "object" ? (b.options as Body) : {};
    // Only the keys the placement's handler receives (§8.2), whatever the page sent.
    const options: Body = {};
    for (const key of spec?.optionKeys ?? []) if (given[key] !== undefined) options[key] = given[key];
    const uri = text(b.uri);
    const app = world.apps.get(installation.clientId);
    return sessions.open({
      portal,
      installation,
      userId: user.ID,
      placement: binding.placement,
      handler: binding.handler,
      options,
      ...(uri.startsWith("/") ? { uri } : {}),
      domain: pageHost(request, portal),
      bindingId: binding.id,
      title: app ? placementTitle(binding, app) : binding.title,
      plainGet: spec?.plainGet ?? false,
    });
  });

  app.get<{ Params: { sid: string } }>("/_portal/frame/:sid/init", async (request, reply) => {
    const b = bound(request, reply);
    return b ? initData(b) : reply;
  });

  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/refresh-auth", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    const auth = sessions.refresh(b.session, b.portal, b.installation);
    return { AUTH_ID: auth.access_token, AUTH_EXPIRES: auth.expires_in, REFRESH_ID: auth.refresh_token };
  });

  /** setInstall: the app has run its first-run handler for this user (FIRST_RUN is false from now on). */
  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/install", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    sessions.markRun(b.session, b.installation);
    return { firstRun: false };
  });

  /** setInstallFinish (§2.3): marks the installation finished and sends ONAPPINSTALL. */
  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/install-finish", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    if (!b.user.ADMIN) return fail(reply, 403, "Only administrators install applications");
    finishInstall(world, b.portal, b.session.clientId);
    return { installed: true };
  });

  /**
   * setAppOption / setUserOption: the same app.option.set / user.option.set the
   * app could call, through the executor as the frame's user (rights, events
   * and persistence on one path). setAppOption answers every app option.
   */
  const setOption = async (
    b: Bound,
    method: "app.option.set" | "user.option.set",
    name: string,
    value: unknown,
  ) =>
    executor.execute(b.portal, frameCaller(b.installation, b.user.ID), method, {
      options: { [name]: value },
    });

  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/app-option", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    const body = (request.body ?? {}) as Body;
    const name = text(body.name);
    if (!name) return fail(reply, 400, "name is required");
    const set = await setOption(b, "app.option.set", name, body.value);
    if (!set.ok) return fail(reply, set.error.status === 400 ? 403 : set.error.status, set.error.description);
    return { ...(b.portal.appOptions.get(b.session.clientId) ?? {}) };
  });

  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/user-option", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    const body = (request.body ?? {}) as Body;
    const name = text(body.name);
    if (!name) return fail(reply, 400, "name is required");
    const set = await setOption(b, "user.option.set", name, body.value);
    if (!set.ok) return fail(reply, set.error.status, set.error.description);
    return { name, value: body.value };
  });

  /** openApplication: the app's own page in a slider, `params` as its PLACEMENT_OPTIONS (bx24_* keys are slider settings). */
  app.post<{ Params: { sid: string } }>("/_portal/frame/:sid/open-application", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    const appRecord = world.apps.get(b.session.clientId);
    if (!appRecord?.appUrl) return fail(reply, 404, "The application has no page");
    if (!b.installation.installed) return fail(reply, 403, "The application is not fully installed");
    const refused = frameUrlProblem(world, appRecord.appUrl);
    if (refused) return fail(reply, 403, refused);
    const body = (request.body ?? {}) as Body;
    const params = body.params && typeof body.params === "object" ? (body.params as Body) : {};
    const options: Body = {};
    const slider: Body = {};
    for (const [k, v] of Object.entries(params)) {
      if (k.startsWith("bx24_")) slider[k] = v;
      else options[k] = v;
    }
    const uri = text(body.uri);
    const descriptor = sessions.open({
      portal: b.portal,
      installation: b.installation,
      userId: b.session.userId,
      placement: "DEFAULT",
      handler: appRecord.appUrl,
      options,
      ...(uri.startsWith("/") ? { uri } : {}),
      domain: pageHost(request, b.portal),
      parentSid: b.session.sid,
      title: text(slider.bx24_title) || text(slider.bx24_label) || appRecord.code,
    });
    return { frame: descriptor, slider };
  });

  /** Data for the user and access pickers. */
  app.get<{ Params: { sid: string } }>("/_portal/frame/:sid/users", async (request, reply) => {
    const b = bound(request, reply);
    if (!b) return reply;
    return switchableUsers(b.portal)
      .filter((u) => u.ACTIVE)
      .map((u) => ({
        id: String(u.ID),
        name: userName(u),
        photo: "",
        position: u.WORK_POSITION,
        url: `/company/personal/user/${u.ID}/`,
        sub: false,
        sup: false,
      }));
  });

  /** Data for the CRM picker: records of the asked types the frame's user may see. */
  app.get<{ Params: { sid: string }; Querystring: { types?: string } }>(
    "/_portal/frame/:sid/crm",
    async (request, reply) => {
      const b = bound(request, reply);
      if (!b) return reply;
      const asked = (request.query.types ?? "")
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter((t) => (CRM_CODES as readonly string[]).includes(t));
      const types = asked.length ? asked : [...CRM_CODES];
      const out: Record<string, unknown[]> = {};
      for (const code of types) {
        const entity = legacyEntity(code as (typeof CRM_CODES)[number]);
        const visible = visibleRows(b.user, entity.entityTypeId);
        out[code] = b.portal
          .table(entity.table)
          .all()
          .filter((row) => !visible || visible(row))
          .sort((x, y) => x.ID - y.ID)
          .slice(0, 200)
          .map((row) => ({
            id: `${CRM_PREFIX[code]}_${row.ID}`,
            type: code,
            place: code,
            title: recordName(entity, row),
            desc: "",
            url: `/crm/${code}/details/${row.ID}/`,
          }));
      }
      return out;
    },
  );
}
