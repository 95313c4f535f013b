import type { Installation, Portal } from "./portal.js";
import type { World } from "./world.js";

/** The OAuth data a portal hands to an app (install callback, ONAPPINSTALL `auth`, §2.4). */
export interface AuthPayload {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  domain: string;
  server_endpoint: string;
  client_endpoint: string;
  member_id: string;
  user_id: number;
  status: string;
  application_token: string;
}

export interface EventAuthOptions {
  /** The event carries the refresh token (ONAPPINSTALL, ONOFFLINEEVENT; or every event, by setting). */
  refreshToken: boolean;
  /** Include `expires` and `user_id` (present in bot-event examples, absent from the generic table). */
  extras: boolean;
  /** How `scope` is joined (the ONAPPINSTALL page says spaces, every other page commas). */
  scopeSeparator: string;
}

/** A token pair as an event's `auth` block (§7.5 order). */
export function eventAuth(auth: AuthPayload, options: EventAuthOptions): Record<string, unknown> {
  return {
    access_token: auth.access_token,
    ...(options.extras ? { expires: auth.expires } : {}),
    expires_in: auth.expires_in,
    scope: auth.scope.split(",").join(options.scopeSeparator),
    domain: auth.domain,
    server_endpoint: auth.server_endpoint,
    status: auth.status,
    client_endpoint: auth.client_endpoint,
    member_id: auth.member_id,
    ...(options.extras ? { user_id: auth.user_id } : {}),
    ...(options.refreshToken ? { refresh_token: auth.refresh_token } : {}),
    application_token: auth.application_token,
  };
}

/** Issues a token pair for `userId` of an installed app and renders it as the portal does. */
export function issueAuth(
  world: World,
  portal: Portal,
  installation: Installation,
  userId: number,
): AuthPayload {
  const { access, refresh } = world.grants.issuePair(
    { memberId: portal.memberId, clientId: installation.clientId, userId, scopes: installation.scopes },
    world.clock.nowMs(),
  );
  return {
    access_token: access.token,
    refresh_token: refresh.token,
    expires: Math.floor(access.expiresAtMs / 1000),
    expires_in: 3600,
    scope: installation.scopes.join(","),
    domain: portal.domain,
    server_endpoint: world.serverEndpoint,
    client_endpoint: world.clientEndpoint(portal),
    member_id: portal.memberId,
    user_id: userId,
    status: installation.status,
    application_token: installation.applicationToken,
  };
}
