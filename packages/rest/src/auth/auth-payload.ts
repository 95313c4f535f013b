import type { OAuthTokens } from "./token-store.js";

/**
 * The OAuth data a portal hands an app — the install call, `ONAPPINSTALL`'s
 * and every event's `auth`, the OAuth server's answer — in the portal's own
 * shape (snake_case; `expires` in Unix seconds, `expires_in` in seconds).
 */
export interface AuthPayload {
  access_token: string;
  refresh_token?: string;
  expires?: number | string;
  expires_in?: number | string;
  client_endpoint: string;
  server_endpoint: string;
  member_id: string;
  domain?: string;
  scope?: string;
  user_id?: number | string;
}

/**
 * The tokens to put in a TokenStore from a portal's auth payload. Expiry is
 * taken as now + `expires_in` on this machine's clock (the server's absolute
 * `expires` only when `expires_in` is missing), as token-endpoint.ts does.
 */
export function tokensFromAuth(auth: AuthPayload, nowMs = Date.now()): OAuthTokens {
  const expiresIn = Number(auth.expires_in);
  const expires = Number(auth.expires);
  const expiresAt =
    Number.isFinite(expiresIn) && expiresIn > 0
      ? nowMs + expiresIn * 1000
      : Number.isFinite(expires) && expires > 0
        ? expires * 1000
        : nowMs + 3600 * 1000;
  const userId = Number(auth.user_id);
  return {
    accessToken: auth.access_token,
    refreshToken: auth.refresh_token ?? "",
    expiresAt,
    clientEndpoint: auth.client_endpoint,
    serverEndpoint: auth.server_endpoint,
    memberId: auth.member_id,
    ...(auth.domain ? { domain: auth.domain } : {}),
    ...(auth.scope ? { scope: auth.scope } : {}),
    ...(Number.isFinite(userId) && userId > 0 ? { userId } : {}),
  };
}
