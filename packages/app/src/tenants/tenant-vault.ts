import type { TokenStore } from "@b24kit/rest";

/** What the runtime needs from the token vault (vault/token-vault.ts implements it). */
export interface TenantVault {
  /** The tenant's tokens as `@b24kit/rest`'s TokenStore (sealed at rest, compare-and-swap writes). */
  tokenStore(memberId: string): TokenStore;
  setApplicationToken(memberId: string, token: string): Promise<void>;
  /** Constant-time; false for an unknown tenant or one without a stored token. */
  verifyApplicationToken(memberId: string, candidate: string): Promise<boolean>;
  /** Deletes the tenant's tokens at once. */
  forget(memberId: string): Promise<void>;
}
