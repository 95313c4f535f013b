import { B24Error } from "../errors/b24-error.js";
import type { FetchLike } from "../transport/http-transport.js";
import { type AuthContext, type AuthStrategy, rebase } from "./auth-strategy.js";
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
}

const LOCK_TTL_MS = 30_000;

/**
 * OAuth tokens from a store. A refresh happens when the access token is past
 * its expiry or the portal says expired_token/invalid_token; never on a timer
 * (the auth server blocks clients that refresh needlessly, protocol.md §1.4).
 * Refreshes are single-flight in the process and, under the lock, across
 * processes: whoever holds the lock re-reads the store first and refreshes
 * only if nobody else already has.
 */
export function oauthAuth(options: OAuthAuthOptions): AuthStrategy {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const lock = options.lock ?? localRefreshLock();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let cached: StoredTokens | undefined;
  let inflight: Promise<void> | undefined;

  const load = async (): Promise<StoredTokens> => {
    const stored = await options.store.load();
    if (!stored) {
      throw new B24Error({
        code: "NO_AUTH_FOUND",
        status: 401,
        kind: "auth",
        description: `no tokens stored for portal ${options.memberId}: the app must be installed there first`,
        retryable: false,
      });
    }
    cached = stored;
    return stored;
  };

  const refreshUnderLock = (staleAccessToken: string) =>
    lock.withLock(`b24kit:refresh:${options.clientId}:${options.memberId}`, LOCK_TTL_MS, async () => {
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
      const saved = await options.store.save(next, stored.version);
      if (saved) {
        cached = saved;
        options.onRefresh?.(next);
      } else {
        await load();
      }
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
      if (stored.tokens.expiresAt <= Date.now()) {
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
    async moved(_from, to) {
      const stored = cached ?? (await load());
      const tokens = {
        ...stored.tokens,
        clientEndpoint: rebase(stored.tokens.clientEndpoint, to),
        domain: new URL(to).host,
      };
      cached = (await options.store.save(tokens, stored.version)) ?? (await load());
    },
  };
}
