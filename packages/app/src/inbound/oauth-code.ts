import { B24Error, type FetchLike, type OAuthTokens, tokenEndpoint, tokensFromAuth } from "@b24kit/rest";
import { VerificationError } from "../core/app-error.js";

/**
 * Step 2 of the OAuth flow (docs/protocol.md §1.3): the one-time `code` is
 * redeemed at the configured OAuth server (POST, so the client secret stays
 * out of URLs; never a server the redirect names). The answer names the portal.
 */
export async function exchangeCode(
  fetchFn: FetchLike,
  code: string,
  app: { clientId: string; clientSecret: string; oauthServer: string },
  nowMs: number,
): Promise<OAuthTokens> {
  const serverEndpoint = `${app.oauthServer}rest/`;
  let res: Response;
  try {
    res = await fetchFn(tokenEndpoint(serverEndpoint), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
      }).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new B24Error({
      code: "NETWORK_ERROR",
      status: 0,
      description: "the OAuth server is unreachable",
      cause: error,
    });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== "string" || typeof body.member_id !== "string") {
    const code = typeof body.error === "string" ? body.error : `HTTP_${res.status}`;
    throw new VerificationError(
      "OAUTH_CODE_REJECTED",
      `The OAuth server did not accept the code (${code})`,
      403,
    );
  }
  return tokensFromAuth(
    {
      access_token: body.access_token,
      ...(typeof body.refresh_token === "string" ? { refresh_token: body.refresh_token } : {}),
      ...(body.expires_in !== undefined ? { expires_in: body.expires_in as number } : {}),
      client_endpoint: String(body.client_endpoint ?? ""),
      server_endpoint: serverEndpoint,
      member_id: body.member_id,
      ...(typeof body.scope === "string" ? { scope: body.scope } : {}),
      ...(body.user_id !== undefined ? { user_id: body.user_id as number } : {}),
    },
    nowMs,
  );
}
