import { B24Error } from "../errors/b24-error.js";
import type { FetchLike } from "../wire/fetch-like.js";
import type { OAuthTokens } from "./token-store.js";

/**
 * The OAuth server's token URL, derived from `server_endpoint` (never
 * hard-coded: the EU and RU regions use different servers, docs/protocol.md §0.3):
 * `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info/oauth/token/`.
 */
export function tokenEndpoint(serverEndpoint: string): string {
  const base = serverEndpoint.replace(/\/rest\/?$/, "").replace(/\/?$/, "/");
  return `${base}oauth/token/`;
}

/** Token-endpoint failures: the portal never saw the call that needed the tokens. */
function failure(init: ConstructorParameters<typeof B24Error>[0]): B24Error {
  return new B24Error({ ...init, mayHaveReachedPortal: false });
}

/**
 * Exchanges a refresh token for a new pair. POST with a form body keeps the
 * client secret out of URLs and logs; the token rotates on every refresh.
 * Redirects are never followed: the body carries the client secret and the
 * refresh token, and only the OAuth server named by `server_endpoint` may
 * read them. The answer must be for the same portal (`member_id`).
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
  const url = tokenEndpoint(tokens.serverEndpoint);
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: body.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw failure({
      code: "NETWORK_ERROR",
      status: 0,
      description: `token endpoint unreachable: ${(error as Error).message}`,
      cause: error,
    });
  }
  if ((res.status >= 300 && res.status < 400) || res.type === "opaqueredirect") {
    await res.body?.cancel().catch(() => {});
    throw failure({
      code: "REDIRECT_REFUSED",
      status: res.status,
      description: `the token endpoint ${new URL(url).origin} answered with a redirect; the refresh token and client secret are sent nowhere else`,
    });
  }
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw failure({
      code: "BAD_RESPONSE",
      status: res.status,
      description: "token endpoint answered without JSON",
      retryable: res.status >= 500,
    });
  }
  if (!res.ok || typeof json.error === "string" || typeof json.access_token !== "string") {
    throw failure({
      code: typeof json.error === "string" ? json.error : "BAD_RESPONSE",
      status: res.status,
      description:
        typeof json.error_description === "string" ? json.error_description : "no access_token in the answer",
      retryable: res.status >= 500,
    });
  }
  if (typeof json.member_id === "string" && json.member_id !== tokens.memberId) {
    throw failure({
      code: "BAD_RESPONSE",
      status: res.status,
      description: "the token endpoint answered for another portal (member_id differs); tokens not taken",
    });
  }
  // The OAuth server names the portal's address; a move to plain http is not taken (the tokens are).
  const named = typeof json.client_endpoint === "string" ? json.client_endpoint : tokens.clientEndpoint;
  const downgrade = tokens.clientEndpoint.startsWith("https:") && !named.startsWith("https:");
  const clientEndpoint = downgrade ? tokens.clientEndpoint : named;
  const moved = new URL(clientEndpoint).host !== new URL(tokens.clientEndpoint).host;
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
    clientEndpoint,
    serverEndpoint: typeof json.server_endpoint === "string" ? json.server_endpoint : tokens.serverEndpoint,
    memberId: tokens.memberId,
    ...(typeof json.scope === "string" ? { scope: json.scope } : tokens.scope ? { scope: tokens.scope } : {}),
    ...(json.user_id !== undefined
      ? { userId: Number(json.user_id) }
      : tokens.userId
        ? { userId: tokens.userId }
        : {}),
    ...(moved ? { domain: new URL(clientEndpoint).host } : tokens.domain ? { domain: tokens.domain } : {}),
  };
}
