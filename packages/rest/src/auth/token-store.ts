/** OAuth tokens of one portal (member_id) for one app. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix milliseconds when the access token expires. */
  expiresAt: number;
  /** REST base of the portal, e.g. `https://acme.bitrix24.com/rest/`. */
  clientEndpoint: string;
  /** The OAuth server's REST base; the token endpoint is derived from it. */
  serverEndpoint: string;
  memberId: string;
  domain?: string;
  scope?: string;
  userId?: number;
}

export interface StoredTokens {
  tokens: OAuthTokens;
  /** Incremented on every write; saves compare it (compare-and-swap). */
  version: number;
}

/**
 * Where a portal's tokens live (the app runtime's vault; memory for scripts).
 * `save` must be a compare-and-swap: it writes only if the stored version is
 * still `expectedVersion`, so two processes cannot overwrite each other's
 * rotation — a refresh token is single-use.
 */
export interface TokenStore {
  load(): Promise<StoredTokens | undefined>;
  save(tokens: OAuthTokens, expectedVersion: number): Promise<StoredTokens | undefined>;
}

/** In-process store, for scripts and single-process tools. */
export class MemoryTokenStore implements TokenStore {
  #current: StoredTokens | undefined;

  constructor(initial?: OAuthTokens) {
    if (initial) this.#current = { tokens: initial, version: 1 };
  }

  async load(): Promise<StoredTokens | undefined> {
    return this.#current;
  }

  async save(tokens: OAuthTokens, expectedVersion: number): Promise<StoredTokens | undefined> {
    if ((this.#current?.version ?? 0) !== expectedVersion) return undefined;
    this.#current = { tokens, version: expectedVersion + 1 };
    return this.#current;
  }
}
