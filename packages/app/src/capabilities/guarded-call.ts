import type { B24Client, CallOptions, CallResult, FastListOptions, ListOptions } from "@b24kit/rest";
import type { CapabilityService } from "./capability-service.js";
import { MissingCapabilityError, missingCapabilityFrom } from "./missing-capability-error.js";

/** The client calls a guarded client wraps (`B24Client` fits). */
export type GuardableClient = Pick<B24Client, "call" | "list" | "fastList">;

/** `call`, `list` and `fastList` that fail with MissingCapabilityError instead of the portal's 403/404. */
export interface GuardedClient {
  call<T = unknown>(
    method: string,
    params?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallResult<T>>;
  list<T = Record<string, unknown>>(
    method: string,
    params?: Record<string, unknown>,
    options?: ListOptions,
  ): AsyncGenerator<T>;
  fastList<T = Record<string, unknown>>(
    method: string,
    params?: Record<string, unknown>,
    options?: FastListOptions,
  ): AsyncGenerator<T>;
}

/**
 * Wraps a tenant's client so a handler never meets an unhandled 403 for a
 * capability the portal lacks:
 * - a manifest method the capability record marks missing fails at once,
 *   without a request (and so does every method on a portal that refuses all
 *   REST: a plan without it, an expired app);
 * - a refusal from the portal that means a missing capability (protocol.md §3.5)
 *   becomes a MissingCapabilityError carrying the original error as `cause`,
 *   and is noted in the record so later `can()` answers agree.
 * Other errors pass through unchanged.
 */
export function guardedCall(
  service: CapabilityService,
  memberId: string,
  client: GuardableClient,
): GuardedClient {
  const precheck = async (method: string): Promise<void> => {
    // The guard saves a request and words the refusal; the portal stays the authority, so a
    // record that cannot be read or probed right now lets the call go ahead.
    const check = await service.check(memberId, method).catch(() => undefined);
    if (!check || check.ok || !check.reason) return;
    const portalWide = check.reason === "plan" || check.reason === "payment_expired";
    if (!check.probed && !portalWide) return; // Not in the manifest (or nothing probed yet): let the portal answer.
    throw new MissingCapabilityError({
      method: check.method,
      reason: check.reason,
      ...(check.scope ? { scope: check.scope } : {}),
      ...(check.module ? { module: check.module } : {}),
    });
  };

  const translate = async (error: unknown, method: string): Promise<unknown> => {
    const missing = missingCapabilityFrom(error, method);
    if (!missing) return error;
    if (missing.portalCode) {
      // Best effort: a store hiccup must not hide the refusal itself.
      await service.noteRefusal(memberId, method, missing.reason, missing.portalCode).catch(() => undefined);
    }
    return missing;
  };

  async function* rows<T>(method: string, source: () => AsyncGenerator<T>): AsyncGenerator<T> {
    await precheck(method);
    try {
      yield* source();
    } catch (error) {
      throw await translate(error, method);
    }
  }

  return {
    async call<T>(method: string, params?: Record<string, unknown>, options?: CallOptions) {
      await precheck(method);
      try {
        return await client.call<T>(method, params, options);
      } catch (error) {
        throw await translate(error, method);
      }
    },
    list<T>(method: string, params?: Record<string, unknown>, options?: ListOptions) {
      return rows(method, () => client.list<T>(method, params, options));
    },
    fastList<T>(method: string, params?: Record<string, unknown>, options?: FastListOptions) {
      return rows(method, () => client.fastList<T>(method, params, options));
    },
  };
}
