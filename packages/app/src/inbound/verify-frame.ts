import type { FetchLike, OAuthTokens } from "@b24kit/rest";
import type { AppConfig } from "../config/app-config.js";
import { VerificationError } from "../core/app-error.js";
import type { TenantRecord } from "../storage/records.js";
import type { TenantService } from "../tenants/tenant-service.js";
import type { TenantVault } from "../tenants/tenant-vault.js";
import { claimedEndpoint, type FrameRequest } from "./frame-request.js";
import { checkAccessToken, confirmThroughOAuthServer, type TokenCheck } from "./portal-check.js";

export interface VerifiedFrame {
  frame: FrameRequest;
  /** The tenant as stored before this request (undefined: a portal never seen). */
  tenant: TenantRecord | undefined;
  /** The portal's REST base: the stored one, or the one the OAuth server named. */
  clientEndpoint: string;
  /** The opening user's tokens, usable against `clientEndpoint`. */
  tokens: OAuthTokens;
  check: TokenCheck;
  /** The OAuth server confirmed the portal (unknown portal, or a new address). */
  confirmedByOAuthServer: boolean;
}

export interface FrameVerifierDeps {
  config: AppConfig;
  fetch: FetchLike;
  tenants: TenantService;
  vault: TenantVault;
  now: () => number;
}

const sameHost = (a: string, b: string) => new URL(a).host === new URL(b).host;

/**
 * Verifies a frame POST before anything in it is used (issue #9 "verify before
 * you trust"). A known portal at its known address: the AUTH_ID must work
 * there (the app calls the stored address, never DOMAIN), and an installed
 * app's APPLICATION_TOKEN must match. Any other address — a portal never seen,
 * or one that moved — is confirmed only through the OAuth server, which names
 * the portal's real address for the refresh token; a DOMAIN is never called.
 */
export async function verifyFrame(frame: FrameRequest, deps: FrameVerifierDeps): Promise<VerifiedFrame> {
  const tenant = await deps.tenants.get(frame.memberId);
  const claimed = claimedEndpoint(frame);
  const serverEndpoint = `${deps.config.oauthServer}rest/`;
  if (tenant && tenant.state !== "uninstalled" && sameHost(tenant.clientEndpoint, claimed)) {
    const check = await checkAccessToken(deps.fetch, tenant.clientEndpoint, frame.accessToken);
    // A re-install brings a new token (checked above through AUTH_ID); an installed app's must match.
    if (check.app.installed && tenant.sealedApplicationToken)
      await requireApplicationToken(deps.vault, frame);
    return {
      frame,
      tenant,
      clientEndpoint: tenant.clientEndpoint,
      tokens: {
        accessToken: frame.accessToken,
        refreshToken: frame.refreshToken,
        expiresAt: deps.now() + frame.expiresInSeconds * 1000,
        clientEndpoint: tenant.clientEndpoint,
        serverEndpoint,
        memberId: frame.memberId,
        userId: check.user.id,
      },
      check,
      confirmedByOAuthServer: false,
    };
  }
  const tokens = await confirmThroughOAuthServer(
    deps.fetch,
    { memberId: frame.memberId, endpoint: claimed, refreshToken: frame.refreshToken },
    deps.config,
  );
  const check = await checkAccessToken(deps.fetch, tokens.clientEndpoint, tokens.accessToken);
  if (tenant && tenant.state !== "uninstalled" && check.app.installed && tenant.sealedApplicationToken)
    await requireApplicationToken(deps.vault, frame);
  return {
    frame,
    tenant,
    clientEndpoint: tokens.clientEndpoint,
    tokens: { ...tokens, userId: check.user.id },
    check,
    confirmedByOAuthServer: true,
  };
}

async function requireApplicationToken(vault: TenantVault, frame: FrameRequest): Promise<void> {
  if (!(await vault.verifyApplicationToken(frame.memberId, frame.applicationToken)))
    throw new VerificationError(
      "APPLICATION_TOKEN_MISMATCH",
      "APPLICATION_TOKEN does not match this portal's",
      403,
    );
}
