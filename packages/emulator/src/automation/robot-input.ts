import { asInt, type Params, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { handlerUrlProblem } from "../placements/handler-url.js";
import type { LocalText, RobotProperty, RobotRecord } from "./robot-records.js";

/*
 * bizproc.robot.add / update parameters, checked in the order and with the
 * codes and texts of api-reference/bizproc/bizproc-robot/bizproc-robot-add.md.
 */

export type RobotFields = Omit<RobotRecord, "ID" | "CLIENT_ID" | "CODE">;

const CODE = /^[A-Za-z0-9._-]+$/;
const PROPERTY_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

const invalid = (text: string) => new RestError(400, "ERROR_ACTIVITY_VALIDATION_FAILURE", text);

/** CODE present and made of the allowed characters. */
export function robotCode(params: Params): string {
  const raw = param(params, "CODE");
  const code = typeof raw === "string" || typeof raw === "number" ? String(raw).trim() : "";
  if (!code) throw invalid("Empty activity code!");
  if (!CODE.test(code)) throw invalid("Wrong activity code!");
  return code;
}

/** Every field of a new robot (add): the required ones present, each value in its documented form. */
export function newRobotFields(params: Params, requireHttps: boolean): RobotFields {
  const handler = readHandler(param(params, "HANDLER"), requireHttps);
  const name = localText(param(params, "NAME"));
  if (!name) throw invalid("Empty activity NAME!");
  return {
    HANDLER: handler,
    AUTH_USER_ID: asInt(param(params, "AUTH_USER_ID")) ?? null,
    USE_SUBSCRIPTION: yesNoOrEmpty(param(params, "USE_SUBSCRIPTION")),
    NAME: name,
    DESCRIPTION: localText(param(params, "DESCRIPTION")) ?? "",
    PROPERTIES: properties(param(params, "PROPERTIES")),
    RETURN_PROPERTIES: properties(param(params, "RETURN_PROPERTIES")),
    DOCUMENT_TYPE: documentType(param(params, "DOCUMENT_TYPE")),
    FILTER: filter(param(params, "FILTER")),
    USE_PLACEMENT: param(params, "USE_PLACEMENT") === "Y" ? "Y" : "N",
    PLACEMENT_HANDLER: readPlacementHandler(param(params, "PLACEMENT_HANDLER"), requireHttps),
  };
}

/** The FIELDS of bizproc.robot.update applied to `robot`: at least one, each checked as add checks it. */
export function updatedRobotFields(
  current: RobotRecord,
  rawFields: unknown,
  requireHttps: boolean,
): RobotFields {
  const fields = rawFields && typeof rawFields === "object" ? (rawFields as Params) : {};
  const has = (key: string) => param(fields, key) !== undefined;
  const keys = Object.keys(fields);
  if (keys.length === 0) throw invalid("No fields to update");
  const next: RobotFields = { ...current };
  if (has("HANDLER")) next.HANDLER = readHandler(param(fields, "HANDLER"), requireHttps);
  if (has("AUTH_USER_ID")) next.AUTH_USER_ID = asInt(param(fields, "AUTH_USER_ID")) ?? null;
  if (has("USE_SUBSCRIPTION")) next.USE_SUBSCRIPTION = yesNoOrEmpty(param(fields, "USE_SUBSCRIPTION"));
  if (has("NAME")) {
    const name = localText(param(fields, "NAME"));
    if (!name) throw invalid("Empty activity NAME!");
    next.NAME = name;
  }
  if (has("DESCRIPTION")) next.DESCRIPTION = localText(param(fields, "DESCRIPTION")) ?? "";
  if (has("PROPERTIES")) next.PROPERTIES = properties(param(fields, "PROPERTIES"));
  if (has("RETURN_PROPERTIES")) next.RETURN_PROPERTIES = properties(param(fields, "RETURN_PROPERTIES"));
  if (has("DOCUMENT_TYPE")) next.DOCUMENT_TYPE = documentType(param(fields, "DOCUMENT_TYPE"));
  if (has("FILTER")) next.FILTER = filter(param(fields, "FILTER"));
  if (has("USE_PLACEMENT")) next.USE_PLACEMENT = param(fields, "USE_PLACEMENT") === "Y" ? "Y" : "N";
  if (has("PLACEMENT_HANDLER"))
    next.PLACEMENT_HANDLER = readPlacementHandler(param(fields, "PLACEMENT_HANDLER"), requireHttps);
  return next;
}

function readHandler(value: unknown, requireHttps: boolean): string {
  const url = typeof value === "string" ? value.trim() : "";
  if (!url) throw invalid("Empty data!");
  const problem = handlerUrlProblem(url, requireHttps);
  if (problem) throw new RestError(400, problem.code, problem.description);
  return url;
}

function readPlacementHandler(value: unknown, requireHttps: boolean): string {
  const url = typeof value === "string" ? value.trim() : "";
  if (!url) return "";
  const problem = handlerUrlProblem(url, requireHttps);
  if (problem) throw new RestError(400, problem.code, problem.description);
  return url;
}

function yesNoOrEmpty(value: unknown): "" | "Y" | "N" {
  return value === "Y" || value === "N" ? value : "";
}

/** A string, or a map of language → string; undefined when absent or empty. */
function localText(value: unknown): LocalText | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => typeof v === "string" && v.trim() !== "");
    return entries.length ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
  }
  return undefined;
}

function properties(value: unknown): Record<string, RobotProperty> {
  if (value === undefined || value === null || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("Wrong properties array!");
  const out: Record<string, RobotProperty> = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!PROPERTY_KEY.test(key)) throw invalid(`Wrong property key ${key}!`);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw invalid("Wrong properties array!");
    const p = raw as Record<string, unknown>;
    const name = localText(p.Name);
    if (!name) throw invalid(`Empty property NAME ${key}!`);
    const description = localText(p.Description);
    out[key] = {
      Name: name,
      ...(description ? { Description: description } : {}),
      Type: typeof p.Type === "string" && p.Type ? p.Type : "string",
      ...(p.Options && typeof p.Options === "object" ? { Options: p.Options as Record<string, string> } : {}),
      ...(p.Required === "Y" || p.Required === "N" ? { Required: p.Required } : {}),
      ...(p.Multiple === "Y" || p.Multiple === "N" ? { Multiple: p.Multiple } : {}),
      ...(p.Default !== undefined ? { Default: p.Default } : {}),
    };
  }
  return out;
}

function documentType(value: unknown): string[] | null {
  if (value === undefined || value === null || value === "") return null;
  const list = Array.isArray(value) ? value : typeof value === "object" ? Object.values(value) : [];
  if (list.length !== 3 || !list.every((v) => typeof v === "string" && v !== ""))
    throw invalid("Wrong activity DOCUMENT_TYPE!");
  return list as string[];
}

/** `{INCLUDE: [rule…], EXCLUDE: [rule…]}`: a rule is 'b24', 'box' or a (partial) document type. */
function filter(value: unknown): RobotRecord["FILTER"] {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("Wrong activity FILTER!");
  const out: { INCLUDE?: unknown[]; EXCLUDE?: unknown[] } = {};
  for (const [key, rules] of Object.entries(value as Record<string, unknown>)) {
    const upper = key.toUpperCase();
    if (upper !== "INCLUDE" && upper !== "EXCLUDE") throw invalid("Wrong activity FILTER!");
    const list = Array.isArray(rules)
      ? rules
      : rules && typeof rules === "object"
        ? Object.values(rules)
        : null;
    if (!list) throw invalid("Wrong activity FILTER!");
    out[upper] = list.map((rule) =>
      Array.isArray(rule) || typeof rule !== "object" ? rule : Object.values(rule!),
    );
  }
  return out;
}
