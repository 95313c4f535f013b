import type { TokenCipher } from "../security/token-cipher.js";
import type { TenantStore } from "../storage/app-store.js";
import { sealedKeyId } from "./sealed-key-id.js";

/** A refresh may write between our read and our write; the swap then fails and we read again. */
const ATTEMPTS = 5;

export interface ResealResult {
  /** The OAuth tokens were rewritten with the current key. */
  tokens: boolean;
  /** The application_token was rewritten with the current key. */
  applicationToken: boolean;
}

/**
 * Rewrites whatever of the tenant's secrets is sealed with an older key, so
 * the old key can be retired (key rotation: add the new key, make it current,
 * reseal every tenant, then drop the old key).
 */
export async function resealTenant(
  tenant: TenantStore,
  cipher: TokenCipher,
  currentKey: string | undefined,
  now: number,
): Promise<ResealResult> {
  const stale = (sealed: string) => sealedKeyId(sealed) !== currentKey;
  const memberId = tenant.memberId;
  let tokens = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const sealed = await tenant.tokens.load();
    if (!sealed || (!stale(sealed.sealedAccessToken) && !stale(sealed.sealedRefreshToken))) break;
    const { version, ...rest } = sealed;
    const resealed = {
      ...rest,
      sealedAccessToken: cipher.encrypt(cipher.decrypt(sealed.sealedAccessToken, memberId), memberId),
      sealedRefreshToken: cipher.encrypt(cipher.decrypt(sealed.sealedRefreshToken, memberId), memberId),
    };
    if (await tenant.tokens.save(resealed, version)) {
      tokens = true;
      break;
    }
  }
  let applicationToken = false;
  const record = await tenant.get();
  const sealedApp = record?.sealedApplicationToken;
  if (record && sealedApp && stale(sealedApp)) {
    const resealed = cipher.encrypt(cipher.decrypt(sealedApp, memberId), memberId);
    // Guarded by the state read with it, so a reinstall in between (state → installing, new token) is not
    // overwritten with the old token. A reinstall over a tenant already `installing` is not caught.
    const updated = await tenant.update({ sealedApplicationToken: resealed, updatedAt: now }, [record.state]);
    applicationToken = updated !== undefined;
  }
  return { tokens, applicationToken };
}
