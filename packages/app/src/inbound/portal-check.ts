import {
  B24Error,
  createB24Client,
  type FetchLike,
  frameAuth,
  type OAuthTokens,
  refreshTokens,
} from "@b24kit/rest";
import { AppError, VerificationError } from "../core/app-error.js";

/** The code of the error a frame check ends with on a plan without the REST API. */
export const PLAN_WITHOUT_REST = "PLAN_WITHOUT_REST";

/** The app as the portal describes it (app.info, api-reference/common/system/app-info.md). */
export interface PortalAppInfo {
  installed: boolean;
  /** F, D, T, P, L, S. */
  status: string;
  paymentExpired: boolean;
  license?: string;
}

/** The user a token belongs to (profile, api-reference/common/users/profile.md). */
export interface PortalUser {
  id: number;
  admin: boolean;
  name: string;
}

export interface TokenCheck {
  user: PortalUser;
  app: PortalAppInfo;
}

/**
 * Calls a portal to confirm that an access token is real, and learns whose it
 * is: one batch of `app.info` and `profile`. A token that the portal refuses
 * fails verification; the portal's address must come from the tenant record or
 * from the OAuth server, never from the request being verified.
 */
export async function checkAccessToken(
  fetchFn: FetchLike,
  clientEndpoint: string,
  accessToken: string,
): Promise<TokenCheck> {
  const client = createB24Client({
    auth: frameAuth({ clientEndpoint, accessToken }),
    fetch: fetchFn,
    limits: false,
    retry: { maxAttempts: 1 },
    timeoutMs: 15_000,
  });
  try {
    const answer = await client.batch(
      { app: { method: "app.info" }, me: { method: "profile" } },
      { halt: true },
    );
    const app = answer.get<Record<string, unknown>>("app");
    const me = answer.get<Record<string, unknown>>("me");
    return {
      app: {
        installed: app.INSTALLED === true,
        status: String(app.STATUS ?? ""),
        paymentExpired: app.PAYMENT_EXPIRED === "Y",
        ...(typeof app.LICENSE === "string" ? { license: app.LICENSE } : {}),
      },
      user: {
        id: Number(me.ID),
        admin: me.ADMIN === true,
        name: [me.NAME, me.LAST_NAME].filter(Boolean).join(" "),
      },
    };
  } catch (error) {
    // A free plan refuses every REST call, the frame's check included (403 ACCESS_DENIED "REST API is
    // available only on commercial plans", _includes/system-errors.md of the official documentation):
    // nothing is verified, but the user is owed plain words rather than a 401.
    if (isPlanWithoutRest(error))
      throw new AppError(
        PLAN_WITHOUT_REST,
        403,
        "The portal's plan does not include the REST API (only commercial plans do)",
        { cause: error },
      );
    if (error instanceof B24Error && (error.kind === "auth" || error.status === 401 || error.status === 403))
      throw new VerificationError(
        "FRAME_TOKEN_REJECTED",
        "The portal did not accept the frame's AUTH_ID",
        401,
        {
          cause: error,
        },
      );
    throw error;
  }
}

/**
 * Confirms a portal the app does not know yet (or whose address changed)
 * through the OAuth server: the refresh token is redeemed there with the app's
 * own client secret, and the server names the portal's member_id and address.
 * A request claiming another portal, or a token issued to another app, fails.
 */
export async function confirmThroughOAuthServer(
  fetchFn: FetchLike,
  claim: { memberId: string; endpoint: string; refreshToken: string },
  app: { clientId: string; clientSecret: string; oauthServer: string },
): Promise<OAuthTokens> {
  if (!claim.refreshToken)
    throw new VerificationError(
      "PORTAL_UNCONFIRMED",
      "An unknown portal must send REFRESH_ID to be confirmed",
      401,
    );
  const claimed: OAuthTokens = {
    accessToken: "",
    refreshToken: claim.refreshToken,
    expiresAt: 0,
    clientEndpoint: claim.endpoint,
    // The configured OAuth server, never one the request names (SERVER_ENDPOINT is the caller's claim).
    serverEndpoint: `${app.oauthServer}rest/`,
    memberId: claim.memberId,
  };
  let tokens: OAuthTokens;
  try {
    tokens = await refreshTokens(fetchFn, claimed, app, 15_000);
  } catch (error) {
    if (error instanceof B24Error && error.status !== 0 && error.status < 500)
      throw new VerificationError(
        "PORTAL_UNCONFIRMED",
        `The OAuth server did not confirm the portal (${error.code})`,
        403,
        {
          cause: error,
        },
      );
    throw error;
  }
  if (new URL(tokens.clientEndpoint).host !== new URL(claim.endpoint).host)
    throw new VerificationError(
      "FRAME_DOMAIN_MISMATCH",
      "The OAuth server names another address for this portal than the request does",
      403,
    );
  return tokens;
}

/** The portal's refusal of REST on its plan — on the batch itself, or on a command whose batch it refused. */
function isPlanWithoutRest(error: unknown): boolean {
  for (let e = error; e instanceof B24Error; e = e.cause) {
    if (e.code === "ACCESS_DENIED" && /commercial plans/i.test(e.description)) return true;
  }
  return false;
}
