import type { FastifyInstance, FastifyReply } from "fastify";
import { requestParams } from "../http/request-params.js";
import { issueAuth } from "../state/app-auth.js";
import type { World } from "../state/world.js";

export interface OAuthStats {
  requests: number;
  byGrant: Record<string, number>;
  errors: Record<string, number>;
}

function fail(
  world: World,
  stats: OAuthStats,
  reply: FastifyReply,
  error: string,
  description: string,
): FastifyReply {
  stats.errors[error] = (stats.errors[error] ?? 0) + 1;
  return reply
    .code(world.settings.oauthErrorStatus[error] ?? 400)
    .type("application/json")
    .send({ error, error_description: description });
}

/**
 * The authorization server's token endpoint (docs/protocol.md §1.3–1.5): GET with a
 * query string as documented, or a POSTed form as the official SDK sends it.
 * Refresh tokens rotate; a used one is refused with invalid_grant.
 */
export function registerTokenRoute(
  app: FastifyInstance,
  world: World,
  stats: OAuthStats,
  isMain: (port: number) => boolean,
): void {
  app.route({
    method: ["GET", "POST"],
    url: "/oauth/token/",
    handler: async (request, reply) => {
      if (!isMain(request.socket.localPort ?? 0)) return reply.code(404).send();
      stats.requests += 1;
      const p = requestParams(request.url, request.body);
      const grantType = String(p.grant_type ?? "");
      stats.byGrant[grantType || "(none)"] = (stats.byGrant[grantType || "(none)"] ?? 0) + 1;
      if (!grantType) return fail(world, stats, reply, "invalid_request", "grant_type is required");
      if (grantType !== "authorization_code" && grantType !== "refresh_token") {
        return fail(
          world,
          stats,
          reply,
          "unsupported_grant_type",
          `Grant type ${grantType} is not supported`,
        );
      }
      const client = world.apps.get(String(p.client_id ?? ""));
      if (!client || client.clientSecret !== String(p.client_secret ?? "")) {
        return fail(world, stats, reply, "invalid_client", "Invalid client_id or client_secret");
      }
      const now = world.clock.nowMs();
      let subject: { memberId: string; userId: number };
      if (grantType === "authorization_code") {
        const code = world.grants.codes.get(String(p.code ?? ""));
        if (!code || code.used || code.expiresAtMs <= now || code.clientId !== client.clientId) {
          return fail(world, stats, reply, "invalid_grant", "Invalid or expired authorization code");
        }
        code.used = true;
        subject = code;
      } else {
        const refresh = world.grants.refresh.get(String(p.refresh_token ?? ""));
        const grace = world.settings.refreshTokenGraceSeconds * 1000;
        if (
          !refresh ||
          refresh.clientId !== client.clientId ||
          refresh.expiresAtMs <= now ||
          (refresh.usedAtMs !== undefined && now - refresh.usedAtMs >= grace)
        ) {
          return fail(world, stats, reply, "invalid_grant", "Invalid or expired refresh token");
        }
        refresh.usedAtMs ??= now;
        subject = refresh;
      }
      const portal = world.portal(subject.memberId);
      const installation = portal?.installations.get(client.clientId);
      if (!portal || portal.deleted || !installation) {
        return fail(world, stats, reply, "invalid_client", "The application is not installed on this portal");
      }
      if (installation.paymentRequired)
        return fail(world, stats, reply, "PAYMENT_REQUIRED", "Payment required");
      const { application_token: _omit, ...auth } = issueAuth(world, portal, installation, subject.userId);
      return reply.type("application/json").send({ ...auth, domain: world.authServerDomain });
    },
  });
}
