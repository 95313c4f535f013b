import type { ModuleId } from "../state/plans.js";
import type { Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import type { Caller } from "./caller.js";
import type { Params } from "./params.js";

/** What a method handler sees. */
export interface CallContext {
  world: World;
  portal: Portal;
  user: PortalUser;
  caller: Caller;
  params: Params;
  /** Lower-case method name as called. */
  method: string;
  nowMs: number;
  /** The method table, for introspection methods (methods, method.get). */
  registry: MethodRegistry;
}

export interface MethodRegistry {
  lookup(name: string): MethodDef | undefined;
  all(): MethodDef[];
}

/** What a handler returns; `rows` feeds the latency model (per-row cost). */
export interface MethodOutput {
  result: unknown;
  total?: number;
  next?: number;
  /** Rows returned (the latency model's `perRowMs`). */
  rows?: number;
  /** Rows the list engine examined (see pageRows; the latency model's `perScannedRowMs`). */
  scanned?: number;
}

export interface MethodDef {
  /** Lower-case dotted name as documented (lookups are case-insensitive). */
  name: string;
  /** Scope that must be granted; "basic" is always granted. */
  scope: string;
  /** Narrower scopes that also open the method (user_basic, user_brief for user.*). */
  altScopes?: readonly string[];
  /** When set, the method does not exist while that module is switched off. */
  module?: ModuleId;
  /** Refused for webhooks with 403 WRONG_AUTH_TYPE (app context required). */
  appOnly?: boolean;
  /** Refused for non-admins with 403 ACCESS_DENIED. */
  adminOnly?: boolean;
  /** False for methods refused inside batch (405 ERROR_BATCH_METHOD_NOT_ALLOWED). */
  batchable?: boolean;
  run(ctx: CallContext): MethodOutput | Promise<MethodOutput>;
}

/** Whether a caller with `scopes` may call `def`. */
export function scopeGranted(
  def: Pick<MethodDef, "scope" | "altScopes">,
  scopes: ReadonlySet<string>,
): boolean {
  return def.scope === "basic" || scopes.has(def.scope) || (def.altScopes ?? []).some((s) => scopes.has(s));
}
