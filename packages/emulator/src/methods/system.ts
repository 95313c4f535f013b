import { catalogue } from "../calls/catalogue.js";
import { type CallContext, type MethodDef, scopeGranted } from "../calls/method-def.js";
import { param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { isoWithOffset } from "../portal-time.js";
import { allScopes } from "../state/scopes.js";
import { isTruthy } from "./users.js";

/*
 * Introspection (docs/protocol.md §10.3): scope, methods, method.get. Real portals know every
 * documented method, so these answer from the method catalogue (calls/catalogue.ts, generated from
 * the documentation) joined with what the emulator implements: "exists" means documented or
 * implemented, with its module switched on; "available" adds the caller's scope and REST in the plan.
 * Calling a documented method the emulator does not implement answers EMULATOR_METHOD_NOT_EMULATED.
 */

/** Served by the REST route itself, not the registry, but real portals list it. */
const BUILTIN_BASIC = ["batch"];

interface Known {
  name: string;
  scope: string;
  altScopes?: readonly string[];
  module?: string;
}

/** Every method of this portal: documented or implemented, module on; implemented entries win. */
function known(ctx: CallContext): Known[] {
  const byName = new Map<string, Known>();
  for (const entry of catalogue.allClassic()) byName.set(entry.name.toLowerCase(), entry);
  for (const def of ctx.registry.all()) byName.set(def.name.toLowerCase(), def);
  for (const name of BUILTIN_BASIC) byName.set(name, { name, scope: "basic" });
  return [...byName.values()].filter((m) => !m.module || ctx.portal.modules.has(m.module as never));
}

function lookup(ctx: CallContext, name: string): Known | undefined {
  const def: Known | undefined =
    ctx.registry.lookup(name) ??
    catalogue.classic(name) ??
    (BUILTIN_BASIC.includes(name) ? { name, scope: "basic" } : undefined);
  return def && (!def.module || ctx.portal.modules.has(def.module as never)) ? def : undefined;
}

export const systemMethods: MethodDef[] = [
  {
    name: "scope",
    scope: "basic",
    run: (ctx) => {
      if (isTruthy(param(ctx.params, "full"))) {
        // Every scope of the portal: those of its methods and every narrower variant the caller may hold.
        const all = new Set(["basic", ...allScopes(), ...ctx.caller.scopes]);
        for (const m of known(ctx)) {
          all.add(m.scope);
          for (const alt of m.altScopes ?? []) all.add(alt);
        }
        return { result: [...all].sort() };
      }
      return { result: [...ctx.caller.scopes] };
    },
  },
  {
    name: "methods",
    scope: "basic",
    run: (ctx) => {
      const methods = known(ctx);
      if (isTruthy(param(ctx.params, "full"))) return { result: methods.map((m) => m.name) };
      const scopeParam = param(ctx.params, "scope");
      if (scopeParam !== undefined && scopeParam !== null) {
        // `scope=` without a value lists the common (basic) methods.
        const scope = String(scopeParam).trim().toLowerCase() || "basic";
        return { result: methods.filter((m) => m.scope === scope).map((m) => m.name) };
      }
      return { result: methods.filter((m) => scopeGranted(m, ctx.caller.scopes)).map((m) => m.name) };
    },
  },
  {
    name: "method.get",
    scope: "basic",
    run: (ctx) => {
      const name = String(param(ctx.params, "name") ?? "")
        .trim()
        .toLowerCase();
      const method = name ? lookup(ctx, name) : undefined;
      if (!method) return { result: { isExisting: false, isAvailable: false } };
      const restOn = ctx.portal.profile.restAvailable;
      return { result: { isExisting: true, isAvailable: restOn && scopeGranted(method, ctx.caller.scopes) } };
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
