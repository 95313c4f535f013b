import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import type { Caller } from "./caller.js";
import { Errors } from "./rest-error.js";

export type RestTarget =
  | { kind: "webhook"; userId: number; code: string }
  | { kind: "oauth"; token: string | undefined };

export interface Authenticated {
  caller: Caller;
  /** The portal the credentials belong to (differs only for app.info on the auth server). */
  portal: Portal;
}

/**
 * Turns the credentials of a REST request into a Caller (protocol.md §3.1):
 * a webhook in the path, or an OAuth access token in `auth`. The OAuth server
 * shares the main listener, so there `app.info` answers for any portal's token
 * (the "trusted" app.info of §1.7).
 */
export function authenticate(
  world: World,
  portal: Portal,
  target: RestTarget,
  method: string,
  onAuthServer: boolean,
): Authenticated {
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
      portal,
      caller: {
        kind: "webhook",
        userId: hook.userId,
        scopes: new Set(hook.scopes),
        accountingKey: `hook:${hook.code}`,
        webhookCode: hook.code,
      },
    };
  }
  if (!target.token) throw Errors.noAuth();
  const grant = world.grants.access.get(target.token);
  if (!grant) throw Errors.invalidToken();
  if (grant.expiresAtMs <= now) throw Errors.expiredToken();
  let owner = portal;
  if (grant.memberId !== portal.memberId) {
    const other = world.portal(grant.memberId);
    if (!(onAuthServer && method === "app.info" && other)) throw Errors.invalidToken();
    owner = other;
  }
  if (!owner.installations.has(grant.clientId)) throw Errors.invalidToken();
  return {
    portal: owner,
    caller: {
      kind: "oauth",
      userId: grant.userId,
      scopes: new Set(grant.scopes),
      accountingKey: `app:${grant.clientId}`,
      clientId: grant.clientId,
      accessToken: grant.token,
    },
  };
}
