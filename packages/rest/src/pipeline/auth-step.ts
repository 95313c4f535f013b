import type { AuthContext, AuthStrategy } from "../auth/auth-strategy.js";
import { keepsTransportSecurity } from "../auth/domain-move.js";
import { B24Error } from "../errors/b24-error.js";
import { type ClientHooks, notify } from "../hooks/client-hooks.js";
import type { Step } from "./rest-call.js";
import { PortalRedirect } from "./transport.js";

const MAX_RENEWALS = 2;
const MAX_MOVES = 3;

function isRenewable(error: unknown): error is B24Error {
  return error instanceof B24Error && (error.code === "expired_token" || error.code === "invalid_token");
}

/** A failure while getting credentials: the method itself never reached the portal. */
function credentialFailure(error: unknown, method: string): B24Error {
  if (error instanceof B24Error && !error.mayHaveReachedPortal) return error;
  if (error instanceof B24Error) {
    return new B24Error({
      code: error.code,
      status: error.status,
      description: error.description,
      method,
      kind: error.kind,
      retryable: error.retryable,
      mayHaveReachedPortal: false,
      cause: error,
    });
  }
  return new B24Error({
    code: "NETWORK_ERROR",
    status: 0,
    method,
    description: `getting credentials failed: ${(error as Error)?.message ?? String(error)}`,
    mayHaveReachedPortal: false,
    cause: error,
  });
}

/**
 * Auth: puts the current credentials on each request, renews them once the
 * portal says they expired (and sends again: a 401 means nothing ran), and
 * follows a domain move only once the strategy has confirmed the new address.
 */
export function authStep(
  strategy: AuthStrategy,
  hooks: Pick<ClientHooks, "onRenewal" | "onDomainMoved">,
): Step {
  return (next) => async (call) => {
    let renewals = 0;
    let moves = 0;
    for (;;) {
      let context: AuthContext;
      try {
        context = await strategy.current();
      } catch (error) {
        throw credentialFailure(error, call.method);
      }
      call.signal?.throwIfAborted();
      call.endpoint = context;
      try {
        return await next(call);
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason ?? error;
        if (error instanceof PortalRedirect) {
          if (++moves > MAX_MOVES) {
            throw new B24Error({
              code: "BAD_RESPONSE",
              status: 302,
              method: call.method,
              description: "too many redirects",
              mayHaveReachedPortal: false,
            });
          }
          await followMove(strategy, context, error, call.method);
          const to = new URL((await strategy.current()).baseUrl).origin;
          notify(hooks.onDomainMoved, { from: new URL(context.baseUrl).origin, to });
          continue;
        }
        if (!isRenewable(error) || renewals >= MAX_RENEWALS) throw error;
        let renewed: boolean;
        try {
          renewed = await strategy.renew(context, error);
        } catch (renewError) {
          const failure = credentialFailure(renewError, call.method);
          notify(hooks.onRenewal, {
            portal: call.portal,
            method: call.method,
            code: error.code,
            ok: false,
            error: failure,
          });
          throw failure;
        }
        if (!renewed) throw error;
        renewals += 1;
        call.trace.renewals += 1;
        notify(hooks.onRenewal, { portal: call.portal, method: call.method, code: error.code, ok: true });
      }
    }
  };
}

async function followMove(
  strategy: AuthStrategy,
  context: AuthContext,
  redirect: PortalRedirect,
  method: string,
): Promise<void> {
  const from = new URL(redirect.from);
  const to = new URL(redirect.location);
  if (!keepsTransportSecurity(from, to)) {
    // The request carries credentials: never to plain http, whatever the strategy thinks.
    throw new B24Error({
      code: "REDIRECT_REFUSED",
      status: 302,
      method,
      description: `refusing to follow a redirect from ${from.origin} to ${to.origin}`,
    });
  }
  let followed = false;
  try {
    followed = (await strategy.followMove?.(context, redirect.location)) ?? false;
  } catch (error) {
    throw credentialFailure(error, method);
  }
  if (!followed) {
    throw new B24Error({
      code: "PORTAL_MOVED",
      status: 302,
      method,
      description: `the portal answered with a redirect to ${to.origin}, which could not be confirmed as its new address; nothing was sent there (webhooks: use the new URL, or pass trustMove)`,
    });
  }
}
