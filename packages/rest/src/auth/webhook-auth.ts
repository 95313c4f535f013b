import { B24Error } from "../errors/b24-error.js";
import { type AuthContext, type AuthStrategy, rebase } from "./auth-strategy.js";

/** Incoming webhook `https://portal/rest/{user}/{code}/`: credentials live in the URL path. */
export function webhookAuth(webhookUrl: string): AuthStrategy {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new B24Error({ code: "INVALID_WEBHOOK_URL", status: 0, kind: "usage", description: "not a URL" });
  }
  if (!/^\/rest\/\d+\/[^/]+\/?$/.test(url.pathname)) {
    throw new B24Error({
      code: "INVALID_WEBHOOK_URL",
      status: 0,
      kind: "usage",
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
    moved(_from, to) {
      baseUrl = rebase(baseUrl, to);
    },
  };
}
