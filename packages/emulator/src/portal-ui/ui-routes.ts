import { readFileSync } from "node:fs";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type AutomatedEntity, automatedEntity } from "../automation/automation-rules.js";
import { installApp } from "../events/app-lifecycle.js";
import type { PortalResolver } from "../http/portal-resolver.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import { InstallError } from "../state/installer.js";
import type { World } from "../state/world.js";
import { automationPage, changeAutomation } from "./automation-page.js";
import { chatPage } from "./chat-page.js";
import { crmDetailsPage, crmListPage, isCrmCode, loadRecord, saveRecord } from "./crm-pages.js";
import { pageHost, registerFrameRoutes, uiUser } from "./frame-routes.js";
import { FrameSessions } from "./frame-sessions.js";
import { notice } from "./html.js";
import { type PageContext, renderPage } from "./layout.js";
import { appPage, installProgressPage, marketplacePage, menuPlacementPage } from "./marketplace-pages.js";
import { loadTask, profilePage, taskListPage, taskPage } from "./people-pages.js";
import { uiCaller } from "./ui-caller.js";
import { appById } from "./visibility.js";

/*
 * The portal's web UI on every portal's own host (contracts.md "Portal UI
 * paths"): server-rendered pages, one plain-JS client script and a stylesheet
 * from packages/emulator/assets, the user switcher and the frame host.
 * Pages act for the portal's current UI user (portal.uiUserId).
 */

const ASSETS: Record<string, string> = {
  "portal.css": "text/css; charset=utf-8",
  "portal.js": "text/javascript; charset=utf-8",
};

/** packages/emulator/assets, from src/portal-ui (tests, tsx) and from dist/portal-ui alike. */
const ASSET_DIR = new URL("../../assets/", import.meta.url);

type Query = Record<string, string | undefined>;
type Body = Record<string, unknown>;

function positiveInt(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function stringQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** A same-site path to go back to after a form post; "/" for anything else. */
function safeBack(value: unknown): string {
  // Browsers read a backslash as "/": "/\\evil.example/" would leave the portal like "//evil.example/".
  return typeof value === "string" &&
    value.startsWith("/") &&
    !value.startsWith("//") &&
    !value.includes("\\")
    ? value
    : "/";
}

export function registerPortalUi(
  app: FastifyInstance,
  world: World,
  resolver: PortalResolver,
  executor: RestExecutor,
): FrameSessions {
  const sessions = new FrameSessions(world);
  const assetCache = new Map<string, Buffer>();

  const context = (request: FastifyRequest, reply: FastifyReply): PageContext | undefined => {
    const portal = resolver.resolve(request, reply);
    if (!portal) return undefined;
    const query = (request.query ?? {}) as Query;
    return {
      world,
      portal,
      user: uiUser(portal),
      host: pageHost(request, portal),
      uri: request.url,
      bare: query.IFRAME === "Y",
    };
  };

  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);

  const problem = (ctx: PageContext, reply: FastifyReply, status: number, title: string, text: string) =>
    html(reply, renderPage(ctx, { title, body: notice(status >= 500 ? "error" : "warning", text) }), status);

  /** GET `path` (with its trailing slash) and a redirect from the slash-less form. */
  const page = <P extends Record<string, string>>(
    path: string,
    handler: (ctx: PageContext, request: FastifyRequest<{ Params: P }>, reply: FastifyReply) => unknown,
  ) => {
    app.get<{ Params: P }>(path, async (request, reply) => {
      const ctx = context(request, reply);
      if (!ctx) return reply;
      return handler(ctx, request, reply);
    });
    app.get(path.slice(0, -1), async (request, reply) => {
      const [pathname, search] = request.url.split("?");
      return reply.redirect(`${pathname}/${search ? `?${search}` : ""}`, 301);
    });
  };

  app.get<{ Params: { file: string } }>("/_portal/assets/:file", async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
    if (!type) return reply.code(404).send({ error: "Not found" });
    let content = assetCache.get(request.params.file);
    if (!content) {
      content = readFileSync(new URL(request.params.file, ASSET_DIR));
      assetCache.set(request.params.file, content);
    }
    return reply.type(type).header("cache-control", "no-cache").send(content);
  });

  /** The user switcher: the portal's pages (and /oauth/authorize/) act for this user from now on. */
  app.post("/_portal/ui-user", async (request, reply) => {
    const portal = resolver.resolve(request, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    const id = positiveInt(String(b.userId ?? ""));
    const user = id === undefined ? undefined : portal.users.get(id);
    if (!user?.ACTIVE || user.IS_BOT) return reply.code(400).send({ error: "userId must be an active user" });
    portal.uiUserId = user.ID;
    const wantsJson = String(request.headers.accept ?? "").includes("application/json");
    return wantsJson ? { uiUserId: user.ID } : reply.redirect(safeBack(b.back), 303);
  });

  app.get("/", async (request, reply) => {
    if (!resolver.resolve(request, reply)) return reply;
    return reply.redirect("/crm/deal/list/", 302);
  });
  page("/crm/", async (_ctx, _request, reply) => reply.redirect("/crm/deal/list/", 302));

  page<{ entity: string }>("/crm/:entity/list/", async (ctx, request, reply) => {
    const { entity } = request.params;
    if (!isCrmCode(entity)) return problem(ctx, reply, 404, "Not found", "There is no such CRM section.");
    const query = request.query as Query;
    return html(reply, crmListPage(ctx, entity, positiveInt(query.page) ?? 1));
  });

  page<{ entity: string; id: string }>("/crm/:entity/details/:id/", async (ctx, request, reply) => {
    const { entity } = request.params;
    const id = positiveInt(request.params.id);
    if (!isCrmCode(entity) || id === undefined)
      return problem(ctx, reply, 404, "Not found", "There is no such record.");
    const loaded = loadRecord(ctx, entity, id);
    if (!("row" in loaded)) return problem(ctx, reply, loaded.status, "Record", loaded.text);
    const saved = (request.query as Query).saved === "Y";
    return html(
      reply,
      crmDetailsPage(
        ctx,
        entity,
        loaded.row,
        saved ? { kind: "success", text: "Changes saved." } : undefined,
        sessions,
      ),
    );
  });

  app.post<{ Params: { entity: string; id: string } }>(
    "/crm/:entity/details/:id/",
    async (request, reply) => {
      const ctx = context(request, reply);
      if (!ctx) return reply;
      const { entity } = request.params;
      const id = positiveInt(request.params.id);
      if (!isCrmCode(entity) || id === undefined)
        return problem(ctx, reply, 404, "Not found", "There is no such record.");
      const loaded = loadRecord(ctx, entity, id);
      if (!("row" in loaded)) return problem(ctx, reply, loaded.status, "Record", loaded.text);
      const b = (request.body ?? {}) as Body;
      const fields = b.fields && typeof b.fields === "object" ? (b.fields as Body) : {};
      const result = await saveRecord(ctx, executor, entity, loaded.row, fields);
      if (!result.ok) {
        return html(
          reply,
          crmDetailsPage(ctx, entity, loaded.row, { kind: "error", text: result.text }, sessions),
          400,
        );
      }
      return reply.redirect(`/crm/${entity}/details/${id}/?saved=Y`, 303);
    },
  );

  /** The automation page: admins only, as on a real portal. */
  const automationTarget = (
    ctx: PageContext,
    params: { entity: string; category: string },
  ): { status: 403 | 404; text: string } | { entity: AutomatedEntity; category: number } => {
    const entity = automatedEntity(params.entity);
    const category = params.category === "0" ? 0 : positiveInt(params.category);
    if (!entity || category === undefined)
      return { status: 404, text: "There is no such automation section." };
    if (!ctx.user.ADMIN) return { status: 403, text: "Only an administrator can set up automation rules." };
    return { entity, category };
  };

  page<{ entity: string; category: string }>(
    "/crm/:entity/automation/:category/",
    async (ctx, request, reply) => {
      const target = automationTarget(ctx, request.params);
      if ("status" in target) return problem(ctx, reply, target.status, "Automation rules", target.text);
      return html(reply, automationPage(ctx, target.entity, target.category));
    },
  );

  app.post<{ Params: { entity: string; category: string } }>(
    "/crm/:entity/automation/:category/",
    async (request, reply) => {
      const ctx = context(request, reply);
      if (!ctx) return reply;
      const target = automationTarget(ctx, request.params);
      if ("status" in target) return problem(ctx, reply, target.status, "Automation rules", target.text);
      const outcome = changeAutomation(ctx, target.entity, target.category, (request.body ?? {}) as Body);
      return html(
        reply,
        automationPage(ctx, target.entity, target.category, outcome),
        outcome.kind === "error" ? 400 : 200,
      );
    },
  );

  page<{ id: string }>("/company/personal/user/:id/", async (ctx, request, reply) => {
    const person = ctx.portal.users.get(positiveInt(request.params.id) ?? 0);
    if (!person) return problem(ctx, reply, 404, "Not found", "There is no such user.");
    return html(reply, profilePage(ctx, person));
  });

  page<{ id: string }>("/company/personal/user/:id/tasks/", async (ctx, request, reply) => {
    const person = ctx.portal.users.get(positiveInt(request.params.id) ?? 0);
    if (!person) return problem(ctx, reply, 404, "Not found", "There is no such user.");
    return html(reply, taskListPage(ctx, person));
  });

  page<{ userId: string; taskId: string }>(
    "/company/personal/user/:userId/tasks/task/view/:taskId/",
    async (ctx, request, reply) => {
      const row = loadTask(ctx, positiveInt(request.params.taskId) ?? 0);
      if (!row)
        return problem(ctx, reply, 404, "Task", "The task was not found or you have no access to it.");
      return html(reply, taskPage(ctx, positiveInt(request.params.userId) ?? ctx.user.ID, row));
    },
  );

  page("/marketplace/", async (ctx, _request, reply) => html(reply, marketplacePage(ctx)));

  /**
   * An admin opening the install page installs the app (installApp), as the
   * contract's path does; a UI app's installer then runs in a frame in install
   * mode until it calls installFinish. POST does the same (for forms and scripts).
   */
  const installRoute = async (
    ctx: PageContext,
    clientId: string,
    finished: boolean,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const record = world.apps.get(clientId);
    if (!record) return problem(ctx, reply, 404, "Install", "There is no such application.");
    let installation = ctx.portal.installations.get(record.clientId);
    if (!ctx.user.ADMIN && !installation?.installed)
      return problem(ctx, reply, 403, "Install", "Only administrators can install applications.");
    if (!installation) {
      try {
        installation = installApp(world, ctx.portal, record.clientId, ctx.user.ID).installation;
      } catch (error) {
        if (error instanceof InstallError) return problem(ctx, reply, 400, "Install", error.message);
        throw error;
      }
    }
    return html(reply, installProgressPage(ctx, sessions, record, installation, finished));
  };

  page<{ clientId: string }>("/marketplace/install/:clientId/", async (ctx, request, reply) =>
    installRoute(ctx, request.params.clientId, (request.query as Query).install_finished === "Y", reply),
  );

  app.post<{ Params: { clientId: string } }>("/marketplace/install/:clientId/", async (request, reply) => {
    const ctx = context(request, reply);
    if (!ctx) return reply;
    return installRoute(ctx, request.params.clientId, false, reply);
  });

  page<{ id: string }>("/marketplace/app/:id/", async (ctx, request, reply) => {
    const record = appById(world, positiveInt(request.params.id) ?? 0);
    const installation = record ? ctx.portal.installations.get(record.clientId) : undefined;
    if (!record || !installation)
      return problem(ctx, reply, 404, "Application", "The application is not installed on this portal.");
    return html(reply, appPage(ctx, sessions, record, installation, stringQuery(request.query)));
  });

  page<{ id: string; bindingId: string }>(
    "/marketplace/app/:id/placement/:bindingId/",
    async (ctx, request, reply) => {
      const record = appById(world, positiveInt(request.params.id) ?? 0);
      if (!record) return problem(ctx, reply, 404, "Application", "There is no such application.");
      const { status, html: body } = menuPlacementPage(
        ctx,
        sessions,
        record,
        positiveInt(request.params.bindingId) ?? 0,
      );
      return html(reply, body, status);
    },
  );

  page("/online/", async (ctx, request, reply) => {
    const dialog = (request.query as Query).dialog;
    return html(reply, chatPage(ctx, dialog || undefined));
  });

  app.post("/online/", async (request, reply) => {
    const ctx = context(request, reply);
    if (!ctx) return reply;
    const b = (request.body ?? {}) as Body;
    const dialogId = typeof b.dialogId === "string" ? b.dialogId : "";
    // What the chat page sends is im.message.add as the UI user: one path for rights, events and storage.
    const posted = await executor.execute(ctx.portal, uiCaller(ctx.portal), "im.message.add", {
      DIALOG_ID: dialogId,
      MESSAGE: typeof b.message === "string" ? b.message : "",
    });
    if (!posted.ok)
      return html(reply, chatPage(ctx, dialogId, posted.error.description), posted.error.status);
    return reply.redirect(`/online/?dialog=${encodeURIComponent(dialogId)}`, 303);
  });

  registerFrameRoutes(app, world, resolver, sessions, executor);
  return sessions;
}
