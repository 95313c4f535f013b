import type { AuthContext, AuthStrategy } from "./auth-strategy.js";
import { movedBase, type TrustMove } from "./domain-move.js";

export interface FrameAuthOptions {
  /** The portal's REST base, e.g. `https://acme.bitrix24.com/rest/`. */
  clientEndpoint: string;
  accessToken: string;
  memberId?: string;
  /** Fetches a new token from the parent window (B24Frame's refreshAuth). */
  refresh?: () => Promise<{ accessToken: string }>;
  /** Accepts a domain move the built-in rule does not (see domain-move.ts); receives origins only. */
  trustMove?: TrustMove;
}

/** An access token handed over by the app's frame (the browser side of a placement). */
export function frameAuth(options: FrameAuthOptions): AuthStrategy {
  let token = options.accessToken;
  let baseUrl = options.clientEndpoint.replace(/\/?$/, "/");
  let inflight: Promise<boolean> | undefined;
  return {
    portalKey: options.memberId ?? new URL(baseUrl).host,
    async current(): Promise<AuthContext> {
      return { baseUrl, accessToken: token };
    },
    async renew(rejected): Promise<boolean> {
      if (rejected.accessToken !== token) return true;
      const refresh = options.refresh;
      if (!refresh) return false;
      inflight ??= refresh()
        .then((next) => {
          token = next.accessToken;
          return true;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    async followMove(rejected, location) {
      const next = movedBase(rejected.baseUrl, location, options.trustMove);
      if (next) baseUrl = next;
      return next !== undefined;
    },
  };
}
