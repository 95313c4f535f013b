import type { CallContext, MethodDef, MethodOutput } from "../calls/method-def.js";
import { asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";

/*
 * app.option.* / user.option.* (docs/protocol.md §11). App context only; as the
 * method pages document, a webhook gets 400 AccessException "Application
 * context required" (not WRONG_AUTH_TYPE, which is what placement.* and
 * event.* answer). Other errors are 400 with exception names as codes:
 * AccessException "Administrator authorization required" (set by a
 * non-admin), ArgumentNullException "options is empty".
 */

const accessException = (text: string) => new RestError(400, "AccessException", text);

function clientIdOf(ctx: CallContext): string {
  if (ctx.caller.kind !== "oauth" || !ctx.caller.clientId)
    throw accessException("Application context required");
  return ctx.caller.clientId;
}

function upsert(store: Map<string, Record<string, unknown>>, key: string, ctx: CallContext): MethodOutput {
  const options = asRecord(param(ctx.params, "options"));
  if (Object.keys(options).length === 0)
    throw new RestError(400, "ArgumentNullException", "options is empty");
  store.set(key, { ...(store.get(key) ?? {}), ...options });
  return { result: true };
}

/** No `option`: every option (an empty map renders as `[]`); a key: its value, or null when unset. */
function read(store: Map<string, Record<string, unknown>>, key: string, ctx: CallContext): MethodOutput {
  const all = store.get(key) ?? {};
  const name = param(ctx.params, "option");
  if (name === undefined || name === null || name === "") return { result: { ...all } };
  const value = all[String(name)];
  return { result: value === undefined ? null : value };
}

const userKey = (ctx: CallContext) => `${clientIdOf(ctx)}|${ctx.user.ID}`;

export const optionMethods: MethodDef[] = [
  {
    name: "app.option.set",
    scope: "basic",
    run: (ctx) => {
      const clientId = clientIdOf(ctx);
      if (!ctx.user.ADMIN) throw accessException("Administrator authorization required");
      return upsert(ctx.portal.appOptions, clientId, ctx);
    },
  },
  {
    name: "app.option.get",
    scope: "basic",
    run: (ctx) => read(ctx.portal.appOptions, clientIdOf(ctx), ctx),
  },
  {
    name: "user.option.set",
    scope: "basic",
    run: (ctx) => upsert(ctx.portal.userOptions, userKey(ctx), ctx),
  },
  {
    name: "user.option.get",
    scope: "basic",
    run: (ctx) => read(ctx.portal.userOptions, userKey(ctx), ctx),
  },
];
