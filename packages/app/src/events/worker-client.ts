import type { B24Client, CallOptions } from "@b24kit/rest";
import type { GuardableClient } from "../capabilities/guarded-call.js";

/** Writes that change portal data: they carry the runtime's auth_connector (api-reference/events/offline-events.md). */
const WRITE = /\.(add|update|delete|set|remove)$/i;

export interface WorkerClientOptions {
  /** Tag for the app's own writes, so they do not come back through the offline queue as new changes. */
  authConnector?: string;
  /** The longest a call of a job waits for the portal's limits before the job is postponed instead. */
  maxLimitWaitMs: number;
}

/**
 * The tenant's client as background jobs use it: the same tokens, limiter
 * and audit as everywhere, plus a bound on limit waits (a worker never sits
 * on one portal's limit) and the auth_connector on writes.
 */
export function workerClient(client: B24Client, options: WorkerClientOptions): GuardableClient {
  const withOptions = <O extends object | undefined>(given: O) =>
    ({ maxLimitWaitMs: options.maxLimitWaitMs, ...given }) as O & CallOptions;
  const tag = (method: string, params: Record<string, unknown> | undefined) =>
    options.authConnector && WRITE.test(method) && !(params && "auth_connector" in params)
      ? { ...params, auth_connector: options.authConnector }
      : params;
  return {
    call: (method, params, callOptions) => client.call(method, tag(method, params), withOptions(callOptions)),
    list: (method, params, listOptions) => client.list(method, params, withOptions(listOptions)),
    fastList: (method, params, listOptions) => client.fastList(method, params, withOptions(listOptions)),
  };
}
