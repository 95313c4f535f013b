import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, type Params, param } from "../calls/params.js";
import { Errors, RestError } from "../calls/rest-error.js";
import {
  findPlacement,
  type PlacementSpec,
  placementAllowed,
  placementCatalogue,
} from "../placements/catalogue.js";
import { handlerUrlProblem } from "../placements/handler-url.js";
import type { PlacementBinding } from "../state/placement-binding.js";
import type { Installation } from "../state/portal.js";

/*
 * placement.bind / unbind / get / list (docs/protocol.md §8.1), after the portal
 * core's Placement service: app context only, bind/unbind/get for admins,
 * codes from the catalogue of §8.2 within the app's scopes.
 */

/** Language TITLE/DESCRIPTION/GROUP_NAME go to when LANG_ALL is not given (the portal's first language). */
const DEFAULT_LANGUAGE = "en";

type LangEntry = PlacementBinding["langAll"][string];

function installationOf(ctx: CallContext): Installation {
  const installation = ctx.caller.clientId ? ctx.portal.installations.get(ctx.caller.clientId) : undefined;
  if (!installation) throw Errors.wrongAuthType();
  return installation;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

/** PLACEMENT as the core reads it: a string (else a type error), upper-cased, not empty. */
function placementCode(params: Params): string {
  const raw = param(params, "PLACEMENT");
  if (raw !== undefined && raw !== null && typeof raw !== "string") {
    throw Errors.argument("PLACEMENT", "The value of an argument 'PLACEMENT' must be of type string");
  }
  const code = (raw ?? "").trim().toUpperCase();
  if (!code) throw Errors.argument("PLACEMENT");
  return code;
}

/** OPTIONS kept for the binding: declared options cast to their type, or everything for loose placements. */
function bindOptions(spec: PlacementSpec, given: unknown): Record<string, unknown> {
  if (!spec.options) return {};
  const source = asRecord(given);
  if (spec.options === "any") return { ...source };
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(spec.options)) {
    const value = source[name];
    out[name] = type === "int" ? (asInt(value) ?? 0) : text(value);
  }
  return out;
}

/** LANG_ALL as stored, and the binding's own title/description/group (default language, else the first). */
function languages(params: Params): {
  langAll: Record<string, LangEntry>;
  title: string;
  description: string;
  groupName: string;
} {
  const given = asRecord(param(params, "LANG_ALL"));
  const langAll: Record<string, LangEntry> = {};
  if (Object.keys(given).length > 0) {
    for (const [lang, item] of Object.entries(given)) {
      const entry = asRecord(item);
      langAll[lang] = {
        TITLE: text(entry.TITLE).trim(),
        DESCRIPTION: text(entry.DESCRIPTION).trim(),
        GROUP_NAME: text(entry.GROUP_NAME).trim(),
      };
    }
  } else {
    const entry: LangEntry = {};
    const title = text(param(params, "TITLE")).trim();
    const description = text(param(params, "DESCRIPTION")).trim();
    const groupName = text(param(params, "GROUP_NAME")).trim();
    if (title) entry.TITLE = title;
    if (description) entry.DESCRIPTION = description;
    if (groupName) entry.GROUP_NAME = groupName;
    if (Object.keys(entry).length > 0) langAll[DEFAULT_LANGUAGE] = entry;
  }
  const main = langAll[DEFAULT_LANGUAGE] ?? Object.values(langAll)[0] ?? {};
  return {
    langAll,
    title: main.TITLE ?? "",
    description: main.DESCRIPTION ?? "",
    groupName: main.GROUP_NAME ?? "",
  };
}

/**
 * placement.bind's argument refusals: HTTP 200 in the documentation's error table
 * (api-reference/widgets/placement-bind.md), the page's header also lists 400 — a setting.
 */
function refusal(ctx: CallContext, error: RestError): RestError {
  return new RestError(
    ctx.world.settings.placementBindErrorStatus,
    error.code,
    error.description,
    error.extra,
  );
}

function bind(ctx: CallContext) {
  const installation = installationOf(ctx);
  let code: string;
  try {
    code = placementCode(ctx.params);
  } catch (error) {
    throw error instanceof RestError && error.code === "ERROR_ARGUMENT" ? refusal(ctx, error) : error;
  }
  if (code === "DEFAULT") throw refusal(ctx, Errors.argument("PLACEMENT", "Wrong value"));
  const handler = text(param(ctx.params, "HANDLER")).trim();
  if (!handler) throw refusal(ctx, Errors.argument("HANDLER"));
  const problem = handlerUrlProblem(handler, ctx.world.settings.requireHttpsHandlers);
  if (problem) throw new RestError(400, problem.code, problem.description);

  const spec = findPlacement(ctx.portal, code);
  if (!spec || !placementAllowed(spec, ctx.caller.scopes)) {
    throw new RestError(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found");
  }
  const userId = Math.max(asInt(param(ctx.params, "USER_ID")) ?? 0, 0);
  if (userId > 0 && !spec.userMode) {
    throw refusal(ctx, new RestError(400, "ERROR_PLACEMENT_USER_MODE", "User mode is not available."));
  }
  const options = bindOptions(spec, param(ctx.params, "OPTIONS"));
  const { langAll, title, description, groupName } = languages(ctx.params);

  const mine = installation.placements.filter((b) => b.placement === code);
  if (spec.single) {
    const counted = spec.userMode ? mine.filter((b) => b.userId === 0 || b.userId === userId) : mine;
    if (counted.length >= 1) {
      throw refusal(ctx, new RestError(400, "ERROR_PLACEMENT_MAX_COUNT", "Placement max count: 1"));
    }
  }
  // The core returns this one from the placement's register callback as a result, hence status 200 (docs agree).
  if (code === "PAGE_BACKGROUND_WORKER" && !text(options.errorHandlerUrl)) {
    throw new RestError(200, "EMPTY_ERROR_HANDLER_URL", "Field errorHandlerUrl is empty.");
  }
  if (mine.some((b) => b.handler === handler)) {
    throw Errors.core("Unable to set placement handler: Handler already binded");
  }

  installation.placements.push({
    id: ctx.world.nextId++,
    placement: code,
    handler,
    title,
    description,
    groupName,
    langAll,
    options,
    userId,
  });
  return { result: true };
}

function unbind(ctx: CallContext) {
  const installation = installationOf(ctx);
  const code = placementCode(ctx.params);
  const handler = text(param(ctx.params, "HANDLER")).trim();
  const userIdParam = param(ctx.params, "USER_ID");
  let count = 0;
  if (findPlacement(ctx.portal, code)) {
    const userId = userIdParam === undefined ? undefined : (asInt(userIdParam) ?? 0);
    const keep: PlacementBinding[] = [];
    for (const binding of installation.placements) {
      const hit =
        binding.placement === code &&
        (userId === undefined || binding.userId === userId) &&
        (!handler || binding.handler === handler);
      // The core counts each row twice: once when found, once when deleted (§8.1).
      if (hit) count += 2;
      else keep.push(binding);
    }
    installation.placements.splice(0, installation.placements.length, ...keep);
  }
  return { result: { count } };
}

function get(ctx: CallContext) {
  const installation = installationOf(ctx);
  const existing = new Set(placementCatalogue(ctx.portal).map((spec) => spec.code));
  const result = [...installation.placements]
    .sort((a, b) => a.id - b.id)
    .filter((b) => existing.has(b.placement))
    .map((b) => ({
      placement: b.placement,
      userId: b.userId,
      handler: b.handler,
      options: b.options,
      title: b.title,
      description: b.description,
      langAll: Object.fromEntries(
        Object.entries(b.langAll).map(([lang, entry]) => [
          lang,
          {
            TITLE: entry.TITLE ?? "",
            DESCRIPTION: entry.DESCRIPTION ?? "",
            GROUP_NAME: entry.GROUP_NAME ?? "",
          },
        ]),
      ),
    }));
  return { result, rows: result.length };
}

/** placement.list: codes of the app's scopes plus the global ones; SCOPE narrows to one scope, FULL lists all. */
function list(ctx: CallContext) {
  installationOf(ctx);
  const scopeParam = param(ctx.params, "SCOPE");
  const full = param(ctx.params, "FULL");
  let wanted: (spec: PlacementSpec) => boolean;
  if (scopeParam !== undefined && text(scopeParam) !== "") {
    const scope = text(scopeParam).trim().toLowerCase();
    wanted = (spec) => spec.scope === scope;
  } else if (full === true || ["1", "true", "y"].includes(text(full).toLowerCase())) {
    wanted = () => true;
  } else {
    wanted = (spec) => spec.scope === "placement" || ctx.caller.scopes.has(spec.scope);
  }
  const result = placementCatalogue(ctx.portal)
    .filter(wanted)
    .map((spec) => spec.code);
  return { result, rows: result.length };
}

export const placementMethods: MethodDef[] = [
  { name: "placement.bind", scope: "placement", appOnly: true, adminOnly: true, run: bind },
  { name: "placement.unbind", scope: "placement", appOnly: true, adminOnly: true, run: unbind },
  { name: "placement.get", scope: "placement", appOnly: true, adminOnly: true, run: get },
  { name: "placement.list", scope: "placement", appOnly: true, run: list },
];
