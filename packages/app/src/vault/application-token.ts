import { timingSafeEqual } from "node:crypto";
import { AppError } from "../core/app-error.js";
import type { TokenCipher } from "../security/token-cipher.js";
import type { TenantStore } from "../storage/app-store.js";
import { sha256, type TokenDigests } from "./token-digests.js";

/**
 * Seals the portal's `application_token` (sent with every event and the
 * uninstall, docs/protocol.md §2) into the tenant record.
 */
export async function setApplicationToken(
  tenant: TenantStore,
  cipher: TokenCipher,
  token: string,
  now: number,
): Promise<void> {
  if (!token) {
    throw new AppError(
      "APPLICATION_TOKEN_EMPTY",
      500,
      `An empty application_token cannot be stored for portal ${tenant.memberId}`,
    );
  }
  const sealed = cipher.encrypt(token, tenant.memberId);
  const updated = await tenant.update({ sealedApplicationToken: sealed, updatedAt: now });
  if (!updated) {
    throw new AppError(
      "TENANT_NOT_FOUND",
      500,
      `No tenant ${tenant.memberId}: store the tenant record before its application_token`,
    );
  }
}

/**
 * Does `candidate` equal the tenant's application_token? Compared in constant
 * time (both sides hashed to one length first, so not even the length leaks);
 * false for an unknown tenant or one without a token. The stored token is read
 * every time; `digests` spares opening the same sealed text again.
 */
export async function verifyApplicationToken(
  tenant: TenantStore,
  cipher: TokenCipher,
  candidate: unknown,
  digests?: TokenDigests,
): Promise<boolean> {
  if (typeof candidate !== "string" || candidate === "") return false;
  const sealed = (await tenant.get())?.sealedApplicationToken;
  if (!sealed) return false;
  const open = () => cipher.decrypt(sealed, tenant.memberId);
  const expected = digests ? digests.of(tenant.memberId, sealed, open) : sha256(open());
  return timingSafeEqual(expected, sha256(candidate));
}
