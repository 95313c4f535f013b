import { B24Error } from "../errors/b24-error.js";
import type { FetchLike } from "../transport/http-transport.js";
import type { OAuthTokens } from "./token-store.js";

/**
 * The OAuth server's token URL, derived from `server_endpoint` (never
 * hard-coded: the EU and RU regions use different servers, protocol.md §0.3):
 * `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info/oauth/token/`.
 */
export function tokenEndpoint(serverEndpoint: string): string {
  const base = serverEndpoint.replace(/\/rest\/?$/, "").replace(/\/?$/, "/");
  return `${base}oauth/token/`;
}

/**
 * Exchanges a refresh token for a new pair. POST with a form body keeps the
 * client secret out of URLs and logs; the token rotates on every refresh.
 */
export async function refreshTokens(
  fetchFn: FetchLike,
  tokens: OAuthTokens,
  client: { clientId: string; clientSecret: string },
  timeoutMs: number,
): Promise<OAuthTokens> {
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    refresh_token: tokens.refreshToken,
  });
  let res: Response;
  try {
    res = await fetchFn(tokenEndpoint(tokens.serverEndpoint), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: body.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new B24Error({
      code: "NETWORK_ERROR",
      status: 0,
      description: `token endpoint unreachable: ${(error as Error).message}`,
      kind: "transport",
      cause: error,
    });
  }
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new B24Error({
      code: "BAD_RESPONSE",
      status: res.status,
      description: "token endpoint answered without JSON",
      kind: "transport",
    });
  }
  if (!res.ok || typeof json.error === "string" || typeof json.access_token !== "string") {
    throw new B24Error({
      code: typeof json.error === "string" ? json.error : "BAD_RESPONSE",
      status: res.status,
      description:
        typeof json.error_description === "string" ? json.error_description : "no access_token in the answer",
      retryable: res.status >= 500,
    });
  }
  // Expiry on our own clock (now + expires_in): comparing the server's absolute `expires` with a
  // skewed local clock would refresh on every call, which the auth server punishes.
  const expiresIn = Number(json.expires_in);
  const expires = Number(json.expires);
  const expiresAt =
    Number.isFinite(expiresIn) && expiresIn > 0
      ? Date.now() + expiresIn * 1000
      : Number.isFinite(expires) && expires > 0
        ? expires * 1000
        : Date.now() + 3600 * 1000;
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : tokens.refreshToken,
    expiresAt,
    clientEndpoint: typeof json.client_endpoint === "string" ? json.client_endpoint : tokens.clientEndpoint,
    serverEndpoint: typeof json.server_endpoint === "string" ? json.server_endpoint : tokens.serverEndpoint,
    memberId: typeof json.member_id === "string" ? json.member_id : tokens.memberId,
    ...(typeof json.scope === "string" ? { scope: json.scope } : tokens.scope ? { scope: tokens.scope } : {}),
    ...(json.user_id !== undefined
      ? { userId: Number(json.user_id) }
      : tokens.userId
        ? { userId: tokens.userId }
        : {}),
    ...(tokens.domain ? { domain: tokens.domain } : {}),
  };
}
