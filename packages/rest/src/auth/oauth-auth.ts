import { B24Error } from "../errors/b24-error.js";
import type { FetchLike } from "../wire/fetch-like.js";
import type { AuthContext, AuthStrategy } from "./auth-strategy.js";
import { keepsTransportSecurity } from "./domain-move.js";
import { localRefreshLock, type RefreshLock } from "./refresh-lock.js";
import { refreshTokens } from "./token-endpoint.js";
import type { OAuthTokens, StoredTokens, TokenStore } from "./token-store.js";

export interface OAuthAuthOptions {
  memberId: string;
  clientId: string;
  clientSecret: string;
  store: TokenStore;
  /** Makes refresh single-flight across processes (e.g. redisRefreshLock); in-process by default. */
  lock?: RefreshLock;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Told about every successful refresh (after the store has it). */
  onRefresh?: (tokens: OAuthTokens) => void;
  /**
   * Renew this long before the access token's expiry instead of letting a call
   * meet `expired_token` first (default 0). Still driven by calls, never by a timer.
   */
  refreshAheadMs?: number;
}

/** How often a save is retried when other writers keep changing unrelated fields. */
const SAVE_ATTEMPTS = 5;

/**
 * OAuth tokens from a store. A refresh happens when the access token is past
 * its expiry or the portal says expired_token/invalid_token; never on a timer
 * (the auth server blocks clients that refresh needlessly, docs/protocol.md §1.4).
 * Refreshes are single-flight in the process and, under the lock, across
 * processes: whoever holds the lock re-reads the store first and refreshes
 * only if nobody else already has.
 */
export function oauthAuth(options: OAuthAuthOptions): AuthStrategy {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const lock = options.lock ?? localRefreshLock();
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The lock must outlive a slow token endpoint, or a second process could redeem the same refresh token.
  const lockTtlMs = timeoutMs * 2 + 10_000;
  const lockKey = `b24kit:refresh:${options.clientId}:${options.memberId}`;
  let cached: StoredTokens | undefined;
  let inflight: Promise<void> | undefined;

  const load = async (): Promise<StoredTokens> => {
    const stored = await options.store.load();
    if (!stored) {
      throw new B24Error({
        code: "NO_AUTH_FOUND",
        status: 401,
        kind: "auth",
        description: `no tokens stored for portal ${options.memberId}`,
        // Not the portal's NO_AUTH_FOUND hint (check the webhook URL): nothing was sent, the store is empty.
        hint: "the portal's tokens are missing from the token store: install the app on that portal, or save its install payload there first (tokensFromInstall)",
        retryable: false,
      });
    }
    cached = stored;
    return stored;
  };

  /**
   * Writes `update(current)` with compare-and-swap, re-reading and re-applying
   * when another writer got in between (e.g. a domain move saved by another
   * process). The tokens just obtained must never be dropped: the refresh
   * token they replace is already spent at the auth server.
   */
  const saveWith = async (
    first: StoredTokens,
    update: (current: OAuthTokens) => OAuthTokens,
  ): Promise<StoredTokens> => {
    let base = first;
    for (let i = 0; i < SAVE_ATTEMPTS; i++) {
      const saved = await options.store.save(update(base.tokens), base.version);
      if (saved) {
        cached = saved;
        return saved;
      }
      base = await load();
    }
    throw new B24Error({
      code: "TOKEN_STORE_CONFLICT",
      status: 0,
      kind: "usage",
      description: `could not save tokens for portal ${options.memberId} after ${SAVE_ATTEMPTS} attempts: the store keeps changing`,
    });
  };

  const refreshUnderLock = (staleAccessToken: string) =>
    lock.withLock(lockKey, lockTtlMs, async () => {
      const stored = await load();
      // Someone (another process, or an earlier refresh here) already rotated the pair.
      if (stored.tokens.accessToken !== staleAccessToken) return;
      let next: OAuthTokens;
      try {
        next = await refreshTokens(fetchFn, stored.tokens, options, timeoutMs);
      } catch (error) {
        if (error instanceof B24Error && error.code === "invalid_grant") {
          // A process without the lock may have rotated it meanwhile; use its tokens if so.
          const again = await load();
          if (again.tokens.refreshToken !== stored.tokens.refreshToken) return;
        }
        throw error;
      }
      // Take the new pair whatever else another writer changed meanwhile: the old refresh token is spent.
      await saveWith(stored, () => next);
      options.onRefresh?.(next);
    });

  const refresh = (staleAccessToken: string): Promise<void> => {
    inflight ??= refreshUnderLock(staleAccessToken).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    portalKey: options.memberId,
    async current(): Promise<AuthContext> {
      let stored = cached ?? (await load());
      if (stored.tokens.expiresAt - (options.refreshAheadMs ?? 0) <= Date.now()) {
        await refresh(stored.tokens.accessToken);
        stored = cached ?? (await load());
      }
      return {
        baseUrl: stored.tokens.clientEndpoint.replace(/\/?$/, "/"),
        accessToken: stored.tokens.accessToken,
      };
    },
    async renew(rejected): Promise<boolean> {
      if (!rejected.accessToken) return false;
      await refresh(rejected.accessToken);
      return true;
    },
    /**
     * A redirect is never trusted on its own word: the OAuth server is asked
     * (a refresh, whose answer names the portal's client_endpoint for this
     * member_id) and the call goes where it says, if that is a new address.
     */
    async followMove(rejected) {
      const sameHost = (endpoint: string) => new URL(endpoint).host === new URL(rejected.baseUrl).host;
      let stored = await load();
      if (sameHost(stored.tokens.clientEndpoint)) {
        await refresh(stored.tokens.accessToken);
        stored = cached ?? (await load());
      }
      const confirmed = stored.tokens.clientEndpoint;
      return !sameHost(confirmed) && keepsTransportSecurity(new URL(rejected.baseUrl), new URL(confirmed));
    },
  };
}
