import type { OAuthTokens, StoredTokens, TokenStore } from "@b24kit/rest";
import { AppError } from "../core/app-error.js";
import type { TokenCipher } from "../security/token-cipher.js";
import type { TenantStore } from "../storage/app-store.js";
import type { SealedTokens, TenantRecord } from "../storage/records.js";

/**
 * `@b24kit/rest`'s TokenStore for one tenant, on the AppStore: the secrets
 * sealed with the tenant's member_id as additional data (a row copied to
 * another tenant does not decrypt), the version compare-and-swap done by the
 * store in one statement. Where the portal lives (domain, client and server
 * endpoints) is the tenant record's: a save that names a new address (the
 * OAuth server's answer after a rename, oauth-auth.ts followMove) moves the
 * tenant there.
 */
export class VaultTokenStore implements TokenStore {
  readonly #tenant: TenantStore;
  readonly #cipher: TokenCipher;
  readonly #now: () => number;

  constructor(tenant: TenantStore, cipher: TokenCipher, now: () => number) {
    this.#tenant = tenant;
    this.#cipher = cipher;
    this.#now = now;
  }

  async load(): Promise<StoredTokens | undefined> {
    const [sealed, record] = await Promise.all([this.#tenant.tokens.load(), this.#tenant.get()]);
    if (!sealed || !record) return undefined;
    return { tokens: this.#open(sealed, record), version: sealed.version };
  }

  async save(tokens: OAuthTokens, expectedVersion: number): Promise<StoredTokens | undefined> {
    const memberId = this.#tenant.memberId;
    if (tokens.memberId !== memberId) {
      throw new AppError(
        "TOKENS_OF_OTHER_PORTAL",
        500,
        `Tokens of portal ${tokens.memberId} cannot be saved for portal ${memberId}`,
      );
    }
    const record = await this.#tenant.get();
    if (!record) {
      throw new AppError(
        "TENANT_NOT_FOUND",
        500,
        `No tenant ${memberId}: store the tenant record before its tokens`,
      );
    }
    const saved = await this.#tenant.tokens.save(sealTokens(this.#cipher, tokens), expectedVersion);
    if (!saved) return undefined;
    await this.#followAddress(record, tokens);
    return { tokens, version: saved.version };
  }

  /** Key order as OAuthTokens declares it, optional keys only when set. */
  #open(sealed: SealedTokens, record: TenantRecord): OAuthTokens {
    const memberId = this.#tenant.memberId;
    return {
      accessToken: this.#cipher.decrypt(sealed.sealedAccessToken, memberId),
      refreshToken: this.#cipher.decrypt(sealed.sealedRefreshToken, memberId),
      expiresAt: sealed.expiresAt,
      clientEndpoint: record.clientEndpoint,
      serverEndpoint: record.serverEndpoint,
      memberId,
      domain: record.domain,
      ...(sealed.scope !== undefined ? { scope: sealed.scope } : {}),
      ...(sealed.userId !== undefined ? { userId: sealed.userId } : {}),
    };
  }

  /** Only the writer that won the swap moves the tenant, so a lost race never moves it back. */
  async #followAddress(record: TenantRecord, tokens: OAuthTokens): Promise<void> {
    const domain = tokens.domain ?? record.domain;
    if (
      domain === record.domain &&
      tokens.clientEndpoint === record.clientEndpoint &&
      tokens.serverEndpoint === record.serverEndpoint
    ) {
      return;
    }
    await this.#tenant.update({
      domain,
      clientEndpoint: tokens.clientEndpoint,
      serverEndpoint: tokens.serverEndpoint,
      updatedAt: this.#now(),
    });
  }
}

export function sealTokens(
  cipher: TokenCipher,
  tokens: Pick<OAuthTokens, "accessToken" | "refreshToken" | "expiresAt" | "memberId" | "scope" | "userId">,
): Omit<SealedTokens, "version"> {
  return {
    sealedAccessToken: cipher.encrypt(tokens.accessToken, tokens.memberId),
    sealedRefreshToken: cipher.encrypt(tokens.refreshToken, tokens.memberId),
    expiresAt: tokens.expiresAt,
    ...(tokens.userId !== undefined ? { userId: tokens.userId } : {}),
    ...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
  };
}
