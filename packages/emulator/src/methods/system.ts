import { type CallContext, type MethodDef, scopeGranted } from "../calls/method-def.js";
import { param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { isoWithOffset } from "../portal-time.js";
import { isTruthy } from "./users.js";

/*
 * Introspection (docs/protocol.md §10.3): scope, methods, method.get, feature.get,
 * server.time. "Exists" means registered with its module switched on;
 * "available" adds the caller's scopes ("basic" is implicit) and REST in the plan.
 */

/** Served by the REST route itself, not the registry, but real portals list it. */
const BUILTIN_BASIC = ["batch"];

function exists(ctx: CallContext, def: MethodDef): boolean {
  return !def.module || ctx.portal.modules.has(def.module);
}

function existing(ctx: CallContext): MethodDef[] {
  return ctx.registry.all().filter((def) => exists(ctx, def));
}

function withBuiltins(names: string[], includeBasic: boolean): string[] {
  if (!includeBasic) return names;
  return [...names, ...BUILTIN_BASIC.filter((b) => !names.includes(b))];
}

export const systemMethods: MethodDef[] = [
  {
    name: "scope",
    scope: "basic",
    run: (ctx) => {
      if (isTruthy(param(ctx.params, "full"))) {
        const all = new Set(["basic", ...existing(ctx).map((def) => def.scope)]);
        return { result: [...all].sort() };
      }
      return { result: [...ctx.caller.scopes] };
    },
  },
  {
    name: "methods",
    scope: "basic",
    run: (ctx) => {
      const defs = existing(ctx);
      if (isTruthy(param(ctx.params, "full"))) {
        return {
          result: withBuiltins(
            defs.map((d) => d.name),
            true,
          ),
        };
      }
      const scopeParam = param(ctx.params, "scope");
      if (scopeParam !== undefined && scopeParam !== null) {
        // `scope=` without a value lists the common (basic) methods.
        const scope = String(scopeParam).trim().toLowerCase() || "basic";
        const names = defs.filter((d) => d.scope === scope).map((d) => d.name);
        return { result: withBuiltins(names, scope === "basic") };
      }
      return {
        result: withBuiltins(
          defs.filter((d) => scopeGranted(d, ctx.caller.scopes)).map((d) => d.name),
          true,
        ),
      };
    },
  },
  {
    name: "method.get",
    scope: "basic",
    run: (ctx) => {
      const name = String(param(ctx.params, "name") ?? "")
        .trim()
        .toLowerCase();
      if (!name) return { result: { isExisting: false, isAvailable: false } };
      const restOn = ctx.portal.profile.restAvailable;
      const def = ctx.registry.lookup(name);
      if (!def) {
        const builtin = BUILTIN_BASIC.includes(name);
        return { result: { isExisting: builtin, isAvailable: builtin && restOn } };
      }
      const isExisting = exists(ctx, def);
      return {
        result: { isExisting, isAvailable: isExisting && restOn && scopeGranted(def, ctx.caller.scopes) },
      };
    },
  },
  {
    name: "feature.get",
    scope: "basic",
    run: (ctx) => {
      const code = String(param(ctx.params, "CODE") ?? "").trim();
      if (!code) throw new RestError(400, "CODE_EMPTY", "CODE can't be empty");
      return { result: { value: ctx.portal.feature(code) ? "Y" : "N" } };
    },
  },
  {
    name: "server.time",
    scope: "basic",
    run: (ctx) => ({ result: isoWithOffset(ctx.nowMs) }),
  },
];
