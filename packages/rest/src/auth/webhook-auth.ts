import { B24Error } from "../errors/b24-error.js";
import type { AuthContext, AuthStrategy } from "./auth-strategy.js";
import { movedBase, type TrustMove } from "./domain-move.js";

export interface WebhookAuthOptions {
  /** Accepts a domain move the built-in rule does not (see domain-move.ts); receives origins only. */
  trustMove?: TrustMove;
}

/** Incoming webhook `https://portal/rest/{user}/{code}/`: credentials live in the URL path. */
export function webhookAuth(webhookUrl: string, options: WebhookAuthOptions = {}): AuthStrategy {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new B24Error({ code: "INVALID_WEBHOOK_URL", status: 0, description: "not a URL" });
  }
  if (!/^\/rest\/\d+\/[^/]+\/?$/.test(url.pathname)) {
    throw new B24Error({
      code: "INVALID_WEBHOOK_URL",
      status: 0,
      description: "expected https://<portal>/rest/<user id>/<webhook code>/",
    });
  }
  let baseUrl = url.toString().replace(/\/?$/, "/");
  return {
    portalKey: url.host,
    async current(): Promise<AuthContext> {
      return { baseUrl };
    },
    // A webhook has nothing to renew: its code is either valid or not.
    async renew(): Promise<boolean> {
      return false;
    },
    // The code is in the path: a move is followed only where the code cannot reach someone else.
    async followMove(rejected, location) {
      const next = movedBase(rejected.baseUrl, location, options.trustMove);
      if (next) baseUrl = next;
      return next !== undefined;
    },
  };
}
