import type { FastifyInstance, FastifyReply } from "fastify";
import { finishInstall } from "../events/app-lifecycle.js";
import type { OAuthStats } from "../oauth/token-route.js";
import { seedCrm } from "../seed/crm-seed.js";
import { newApp } from "../state/app-registry.js";
import { describeInstallation, InstallError, installApp } from "../state/installer.js";
import { isModuleId, isPlanId, MODULES } from "../state/plans.js";
import type { Fault, LatencyRule, Portal } from "../state/portal.js";
import type { EmulatorSettings } from "../state/settings.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { type PortalInput, parsePortalInput } from "./portal-input.js";

/** What the control API needs from the server: new listeners for new portals and domain moves. */
export interface PortalHost {
  createPortal(input: PortalInput): Promise<Portal>;
  moveDomain(portal: Portal): Promise<string>;
}

type Body = Record<string, unknown>;

function bad(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}

function num(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The emulator's control API (contracts.md), JSON under /_emulator/. */
export function registerControlRoutes(
  app: FastifyInstance,
  world: World,
  host: PortalHost,
  oauthStats: OAuthStats,
): void {
  const withPortal = (memberId: string, reply: FastifyReply): Portal | undefined => {
    const portal = world.portal(memberId);
    if (!portal) bad(reply, 404, `No portal with member_id ${memberId}`);
    return portal;
  };

  app.get("/_emulator/portals", async () => ({
    portals: [...world.portals.values()].map((p) => world.describePortal(p)),
  }));

  app.post("/_emulator/portals", async (request, reply) => {
    const parsed = parsePortalInput((request.body ?? {}) as Body);
    if (typeof parsed === "string") return bad(reply, 400, parsed);
    const portal = await host.createPortal(parsed);
    return reply.code(201).send(world.describePortal(portal));
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return {
      ...world.describePortal(portal),
      users: [...portal.users.values()],
      features: { ...portal.profile.features, ...portal.featureOverrides },
      operatingLimitSeconds: portal.operatingLimitSeconds,
      bucket: portal.bucket,
      latency: portal.latency,
      requestLatencyMs: portal.requestLatencyMs,
      faults: portal.faults,
    };
  });

  app.patch<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    if (b.plan !== undefined) {
      if (!isPlanId(b.plan))
        return bad(reply, 400, "plan must be one of free, basic, standard, professional, enterprise");
      portal.plan = b.plan;
    }
    if (b.modules !== undefined) {
      if (!Array.isArray(b.modules) || !b.modules.every(isModuleId))
        return bad(reply, 400, `modules must be a subset of ${MODULES.join(", ")}`);
      portal.modules.clear();
      for (const m of b.modules) portal.modules.add(m);
    }
    if (b.features && typeof b.features === "object") {
      for (const [k, v] of Object.entries(b.features)) portal.featureOverrides[k] = Boolean(v);
    }
    if (b.operatingLimitSeconds !== undefined) {
      const n = num(b.operatingLimitSeconds);
      if (n === undefined || n <= 0)
        return bad(reply, 400, "operatingLimitSeconds must be a positive number");
      portal.operatingLimitSeconds = n;
    }
    if (b.bucket !== undefined) {
      const bucket = b.bucket as Body | null;
      const burst = num(bucket?.burst);
      const drain = num(bucket?.drainPerSecond);
      if (bucket === null) portal.bucketOverride = undefined;
      else if (burst === undefined || drain === undefined)
        return bad(reply, 400, "bucket needs burst and drainPerSecond");
      else portal.bucketOverride = { burst, drainPerSecond: drain };
    }
    if (b.latency !== undefined) {
      const rules: Record<string, LatencyRule> = {};
      for (const [method, rule] of Object.entries((b.latency ?? {}) as Record<string, Body>)) {
        rules[method.toLowerCase()] = { baseMs: num(rule.baseMs) ?? 0, perRowMs: num(rule.perRowMs) ?? 0 };
      }
      portal.latency = rules;
    }
    if (b.requestLatencyMs !== undefined) {
      const ms = num(b.requestLatencyMs);
      if (ms === undefined || ms < 0) return bad(reply, 400, "requestLatencyMs must be a number >= 0");
      portal.requestLatencyMs = ms;
    }
    if (b.uiUserId !== undefined) {
      const id = num(b.uiUserId);
      if (id === undefined || !portal.users.has(id))
        return bad(reply, 400, "uiUserId must be an existing user id");
      portal.uiUserId = id;
    }
    world.onChange();
    return world.describePortal(portal);
  });

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    portal.deleted = true;
    world.grants.revoke(portal.memberId);
    world.onChange();
    return { deleted: true };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/domain", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const previous = portal.domain;
    const domain = await host.moveDomain(portal);
    return { previousDomain: previous, domain, clientEndpoint: world.clientEndpoint(portal) };
  });

  app.get<{ Params: { m: string } }>("/_emulator/portals/:m/stats", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    return { requests: portal.stats };
  });

  app.delete<{ Params: { m: string } }>("/_emulator/portals/:m/stats", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    portal.stats = { total: 0, byMethod: {}, errors: {} };
    return { requests: portal.stats };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/limits/reset", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    world.buckets.reset(`${portal.memberId}|`);
    world.ledger.reset(`${portal.memberId}|`);
    return { reset: true };
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/users", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Partial<PortalUser> & { webhookScopes?: string[] };
    if (b.ID !== undefined && portal.users.has(b.ID)) return bad(reply, 409, `User ${b.ID} exists`);
    const user = portal.addUser(b);
    const hook = portal.addWebhook(user.ID, b.webhookScopes ?? allScopes());
    world.onChange();
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
      world.onChange();
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
    const hook = portal.addWebhook(userId, scopes);
    const expires = num(b.expiresInSeconds);
    if (expires !== undefined) hook.expiresAtMs = world.clock.nowMs() + expires * 1000;
    world.onChange();
    return reply
      .code(201)
      .send({ url: `${world.protocol}://${portal.domain}/rest/${userId}/${hook.code}/`, scopes });
  });

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
    world.onChange();
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

  app.post("/_emulator/apps", async (request, reply) => {
    const b = (request.body ?? {}) as Body;
    if (b.scopes === undefined)
      return bad(reply, 400, "scopes is required (array or comma-separated string)");
    const record = newApp(b as Parameters<typeof newApp>[0]);
    world.apps.set(record.clientId, record);
    world.onChange();
    return reply.code(201).send({ clientId: record.clientId, clientSecret: record.clientSecret });
  });

  app.post<{ Params: { m: string } }>("/_emulator/portals/:m/install", async (request, reply) => {
    const portal = withPortal(request.params.m, reply);
    if (!portal) return reply;
    const b = (request.body ?? {}) as Body;
    try {
      const { installation, auth } = installApp(world, portal, String(b.clientId ?? ""), num(b.userId) ?? 1);
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
    const b = (request.body ?? {}) as Body;
    if (typeof b.paymentRequired === "boolean") installation.paymentRequired = b.paymentRequired;
    if (typeof b.status === "string") installation.status = b.status;
    if (b.installed === true && !installation.installed) finishInstall(world, portal, installation.clientId);
    else if (b.installed === false) installation.installed = false;
    world.onChange();
    return describeInstallation(installation);
  });

  app.post("/_emulator/clock", async (request, reply) => {
    const b = (request.body ?? {}) as Body;
    try {
      if (b.freeze === true) world.clock.freeze();
      if (b.freeze === false) world.clock.unfreeze();
      if (b.advanceSeconds !== undefined) world.clock.advance(num(b.advanceSeconds) ?? Number.NaN);
    } catch (error) {
      return bad(reply, 400, (error as Error).message);
    }
    return {
      now: world.clock.nowMs() / 1000,
      offsetSeconds: world.clock.snapshot().offsetMs / 1000,
      frozen: world.clock.frozen,
    };
  });

  app.get("/_emulator/oauth/stats", async () => oauthStats);

  app.get("/_emulator/settings", async () => world.settings);
  app.patch("/_emulator/settings", async (request) => {
    world.settings = { ...world.settings, ...((request.body ?? {}) as Partial<EmulatorSettings>) };
    world.onChange();
    return world.settings;
  });
}

/** Every scope an admin webhook can be given. */
export function allScopes(): string[] {
  return [
    "crm",
    "user",
    "user_basic",
    "task",
    "disk",
    "im",
    "imbot",
    "placement",
    "telephony",
    "entity",
    "department",
  ];
}
