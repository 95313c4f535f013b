import { type AuthStrategy, B24Error, type FetchLike } from "@b24kit/rest";
import { AppError, VerificationError } from "../core/app-error.js";
import type { TenantRecord } from "../storage/records.js";
import { sha256 } from "../vault/token-digests.js";
import { checkAccessToken } from "./portal-check.js";

/** The header the frame shell's `b24kit.api()` adds: the user's current AUTH_ID, from the official SDK. */
export const USER_AUTH_HEADER = "x-b24kit-user-auth";

/** A checked token is trusted this long without asking the portal again (portal tokens live an hour). */
const TRUSTED_FOR_MS = 60_000;
/** Checked tokens remembered at most (oldest forgotten first): memory stays bounded. */
const MAX_REMEMBERED = 10_000;

/**
 * Checks the AUTH_ID an API call brings before `ctx.asUser` acts with it. The tenant's portal, at its
 * stored address (never one the request names), must accept the token, and it must belong to the
 * session's user: the session says who opened the frame, so a token of anyone else is refused rather
 * than letting a handler act as one user while it believes it serves another. A checked token is
 * remembered by digest for a minute, so a page calling its backend often costs one check a minute.
 */
export class ApiUserAuth {
  readonly #trustedUntil = new Map<string, number>();

  constructor(private readonly deps: { fetch: FetchLike; now: () => number }) {}

  async verify(tenant: TenantRecord, userId: number, token: string): Promise<void> {
    const key = `${tenant.memberId}\n${userId}\n${sha256(token).toString("hex")}`;
    const now = this.deps.now();
    if ((this.#trustedUntil.get(key) ?? 0) > now) return;
    const check = await checkAccessToken(this.deps.fetch, tenant.clientEndpoint, token);
    if (check.user.id !== userId)
      throw new VerificationError(
        "USER_AUTH_MISMATCH",
        "The AUTH_ID sent with this call belongs to another user than the frame's session",
        401,
      );
    this.#trustedUntil.delete(key);
    this.#trustedUntil.set(key, now + TRUSTED_FOR_MS);
    if (this.#trustedUntil.size > MAX_REMEMBERED)
      this.#trustedUntil.delete(this.#trustedUntil.keys().next().value as string);
  }
}

/**
 * `ctx.asUser` of a call that brought no AUTH_ID: every call fails at once with USER_AUTH_MISSING
 * (never retried, nothing sent). Left unhandled, the API answers 401 with it (create-app.ts, failure).
 */
export function missingUserAuth(portalKey: string): AuthStrategy {
  return {
    portalKey,
    async current() {
      const reason = new AppError(
        "USER_AUTH_MISSING",
        401,
        "This API call brought no user AUTH_ID, so it cannot act as the user: call it with b24kit.api() from a frame page (it sends the AUTH_ID of the official SDK)",
      );
      throw new B24Error({
        code: reason.code,
        status: reason.status,
        description: reason.message,
        kind: "auth",
        retryable: false,
        mayHaveReachedPortal: false,
        cause: reason,
      });
    },
    async renew() {
      return false;
    },
  };
}
