import type { Caller } from "../calls/caller.js";
import { Errors } from "../calls/rest-error.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

export type RestTarget =
  | { kind: "webhook"; userId: number; code: string }
  | { kind: "oauth"; token: string | undefined };

/**
 * Turns the credentials of a REST request into a Caller (docs/protocol.md §3.1):
 * a webhook in the path, or an OAuth access token in `auth` that belongs to
 * this portal.
 */
export function authenticate(world: World, portal: Portal, target: RestTarget): Caller {
  const now = world.clock.nowMs();
  if (target.kind === "webhook") {
    const hook = portal.webhooks.get(target.code);
    if (
      !hook ||
      hook.userId !== target.userId ||
      (hook.expiresAtMs !== undefined && hook.expiresAtMs <= now)
    ) {
      throw Errors.noAuth();
    }
    return {
      kind: "webhook",
      userId: hook.userId,
      scopes: new Set(hook.scopes),
      accountingKey: `hook:${hook.code}`,
      webhookCode: hook.code,
    };
  }
  if (!target.token) throw Errors.noAuth();
  const grant = world.grants.access.get(target.token);
  if (!grant) throw Errors.invalidToken();
  // Another portal's token is unknown here, expired or not: refreshing it would not help.
  if (grant.memberId !== portal.memberId) throw Errors.invalidToken();
  if (grant.expiresAtMs <= now) throw Errors.expiredToken();
  if (!portal.installations.has(grant.clientId)) throw Errors.invalidToken();
  return {
    kind: "oauth",
    userId: grant.userId,
    scopes: new Set(grant.scopes),
    accountingKey: `app:${grant.clientId}`,
    clientId: grant.clientId,
    accessToken: grant.token,
  };
}
