import type { TokenStore } from "@b24kit/rest";
import type { TokenCipher } from "../security/token-cipher.js";
import type { AppStore } from "../storage/app-store.js";
import { setApplicationToken, verifyApplicationToken } from "./application-token.js";
import { type ResealResult, resealTenant } from "./reseal.js";
import { currentKeyId } from "./sealed-key-id.js";
import { TokenDigests } from "./token-digests.js";
import { VaultTokenStore } from "./vault-token-store.js";

export interface TokenVaultOptions {
  /** Wall-clock unix ms for `updatedAt` (default Date.now). */
  now?: () => number;
}

export interface ResealAllResult {
  /** Tenants looked at. */
  tenants: number;
  /** Tenants with something rewritten. */
  resealed: number;
  /** Tenants that could not be resealed, with why (never a secret: cipher and store messages only). */
  failed: Array<{ memberId: string; reason: string }>;
}

/**
 * Every secret a tenant has — OAuth tokens and the application_token — sealed
 * at rest (AES-256-GCM, the tenant's member_id as additional data) in the
 * AppStore. Nothing outside the vault sees a token in clear except the REST
 * client it hands a TokenStore to.
 */
export class TokenVault {
  readonly #store: AppStore;
  readonly #cipher: TokenCipher;
  readonly #now: () => number;
  readonly #currentKey: string | undefined;
  readonly #applicationTokens = new TokenDigests();

  constructor(store: AppStore, cipher: TokenCipher, options: TokenVaultOptions = {}) {
    this.#store = store;
    this.#cipher = cipher;
    this.#now = options.now ?? Date.now;
    this.#currentKey = currentKeyId(cipher);
  }

  /** `@b24kit/rest`'s TokenStore for one portal (versioned compare-and-swap saves). */
  tokenStore(memberId: string): TokenStore {
    return new VaultTokenStore(this.#store.tenant(memberId), this.#cipher, this.#now);
  }

  /** Seals and stores the portal's application_token (from ONAPPINSTALL / the install POST). */
  setApplicationToken(memberId: string, token: string): Promise<void> {
    return setApplicationToken(this.#store.tenant(memberId), this.#cipher, token, this.#now());
  }

  /** Constant-time check of an inbound request's application_token; false for unknown tenants. */
  verifyApplicationToken(memberId: string, candidate: string): Promise<boolean> {
    return verifyApplicationToken(
      this.#store.tenant(memberId),
      this.#cipher,
      candidate,
      this.#applicationTokens,
    );
  }

  /** Deletes the portal's OAuth tokens at once (uninstall); the record and application_token stay. */
  forget(memberId: string): Promise<void> {
    return this.#store.tenant(memberId).tokens.delete();
  }

  /** Rewrites the portal's secrets sealed with an older key with the current one. */
  reseal(memberId: string): Promise<ResealResult> {
    return resealTenant(this.#store.tenant(memberId), this.#cipher, this.#currentKey, this.#now());
  }

  /**
   * Reseals every tenant (after making a new key current); once it reports
   * no failures the old key can be removed from configuration.
   */
  async resealAll(): Promise<ResealAllResult> {
    const tenants = await this.#store.admin.tenants();
    let resealed = 0;
    const failed: ResealAllResult["failed"] = [];
    for (const { memberId } of tenants) {
      try {
        const result = await this.reseal(memberId);
        if (result.tokens || result.applicationToken) resealed += 1;
      } catch (error) {
        // One unreadable tenant (a key missing from configuration) must not stop the others.
        failed.push({ memberId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return { tenants: tenants.length, resealed, failed };
  }
}
