import {
  appEndpoint,
  DEFAULT_DOMAIN,
  DEFAULT_SERVER_ENDPOINT,
  formPost,
  type PortalRequestOptions,
  randomHex,
} from "./portal-post.js";
import { FOREIGN_DOMAIN, padBody, type Tamper, tamperFields } from "./tamper.js";

export interface FrameRequestOptions extends PortalRequestOptions {
  /** `AUTH_ID`: the opening user's access token (default: a random one no portal issued). */
  accessToken?: string;
  /** `REFRESH_ID` (default random): what the runtime redeems to confirm a portal it does not know. */
  refreshToken?: string;
  /** `AUTH_EXPIRES`: seconds the access token lives (default 3600). */
  expiresIn?: number;
  /** `APPLICATION_TOKEN` of the installation; left out unless given. */
  applicationToken?: string;
  /** `APPLICATION_SCOPE` (default `crm`). */
  scope?: string | string[];
  /** `status`: the app's status letter on the portal (default F). */
  status?: string;
  /** `LANG` in the query (default en). */
  lang?: string;
  /** `APP_SID` in the query: the frame's id (default random). */
  appSid?: string;
  /** What the handler finds in `PLACEMENT_OPTIONS` (a deal tab's `{ ID: 42 }`). */
  placementOptions?: Record<string, unknown>;
  /** Extra form fields, or replacements for the ones above (null removes one). */
  fields?: Record<string, string | null>;
  tamper?: Tamper;
}

/**
 * A placement opening as the portal makes the user's browser POST it to
 * `{appUrl}b24/placements/{placement}` (docs/protocol.md §8.3, §2.2).
 */
export function placementRequest(options: FrameRequestOptions & { placement: string }): Request {
  return frameRequest(options, options.placement, options.path ?? `b24/placements/${options.placement}`);
}

/** The field a USERFIELD_TYPE frame is opened for (userfieldtype-add.md, PLACEMENT_OPTIONS). */
export interface FieldTypeRequestField {
  mode?: "view" | "edit";
  /** ENTITY_ID (default CRM_DEAL). */
  entityId?: string;
  /** FIELD_NAME (default UF_CRM_FIELD). */
  fieldName?: string;
  /** ENTITY_VALUE_ID: the record's id (default "1"). */
  entityValueId?: string | number;
  /** VALUE (default null: empty). */
  value?: unknown;
  multiple?: boolean;
  mandatory?: boolean;
  xmlId?: string | null;
}

/**
 * A field of the app's type opening in a CRM card: the portal POSTs the
 * type's handler, `{appUrl}b24/field-types/{code}`, with PLACEMENT=USERFIELD_TYPE
 * and the field in PLACEMENT_OPTIONS as the portal words it (MODE, ENTITY_ID,
 * FIELD_NAME, ENTITY_VALUE_ID, VALUE, MULTIPLE and MANDATORY as Y/N, XML_ID).
 */
export function fieldTypeRequest(
  options: Omit<FrameRequestOptions, "placementOptions"> & { code: string; field?: FieldTypeRequestField },
): Request {
  const field = options.field ?? {};
  // Nulls stay null here, as in the page's example (not "" as in other placements' options).
  const placementOptions = JSON.stringify({
    MODE: field.mode ?? "view",
    ENTITY_ID: field.entityId ?? "CRM_DEAL",
    FIELD_NAME: field.fieldName ?? "UF_CRM_FIELD",
    ENTITY_VALUE_ID: String(field.entityValueId ?? "1"),
    VALUE: field.value ?? null,
    MULTIPLE: field.multiple ? "Y" : "N",
    MANDATORY: field.mandatory ? "Y" : "N",
    XML_ID: field.xmlId ?? null,
  }).replace(/\//g, "\\/");
  return frameRequest(
    { ...options, fields: { PLACEMENT_OPTIONS: placementOptions, ...options.fields } },
    "USERFIELD_TYPE",
    options.path ?? `b24/field-types/${options.code}`,
  );
}

/**
 * The app's own page (PLACEMENT=DEFAULT, docs/protocol.md §2.2) at `{appUrl}b24/app`,
 * or with `install: true` its installer at `{appUrl}` — the installer URL the
 * app registers. The two POSTs carry the same fields: what makes the installer
 * is the portal's state (the install is not finished, §2.1), not the request.
 */
export function appPageRequest(options: FrameRequestOptions & { install?: boolean }): Request {
  return frameRequest(options, "DEFAULT", options.path ?? (options.install ? "" : "b24/app"));
}

function frameRequest(options: FrameRequestOptions, placement: string, path: string): Request {
  const url = appEndpoint(options.appUrl, path);
  const query = {
    DOMAIN: options.domain ?? DEFAULT_DOMAIN,
    PROTOCOL: options.protocol === "http" ? "0" : "1",
    LANG: options.lang ?? "en",
    APP_SID: options.appSid ?? randomHex(),
  };
  const scope = Array.isArray(options.scope) ? options.scope.join(",") : (options.scope ?? "crm");
  // The emulator's order, from the portal's own form (settings/oauth/simple-way.html).
  const form: Record<string, unknown> = {
    AUTH_ID: options.accessToken ?? randomHex(),
    AUTH_EXPIRES: String(options.expiresIn ?? 3600),
    REFRESH_ID: options.refreshToken ?? randomHex(),
    SERVER_ENDPOINT: options.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT,
    ...(options.applicationToken !== undefined ? { APPLICATION_TOKEN: options.applicationToken } : {}),
    APPLICATION_SCOPE: scope,
    member_id: options.memberId,
    status: options.status ?? "F",
    PLACEMENT: placement,
    PLACEMENT_OPTIONS: encodePlacementOptions(options.placementOptions ?? {}),
  };
  for (const [key, value] of Object.entries(options.fields ?? {})) form[key] = value;
  tamperFields(options.tamper, {
    holder: form,
    applicationTokenKey: "APPLICATION_TOKEN",
    foreignDomain() {
      query.DOMAIN = FOREIGN_DOMAIN;
    },
  });
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return formPost(url, padBody(options.tamper, browserForm(form)));
}

/**
 * The form as the user's browser submits the portal's hidden form: the HTML
 * form encoding (URLSearchParams), not PHP's. A nested value (the
 * "malformed-nesting" fault) becomes bracket keys.
 */
function browserForm(form: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value))
      for (const [i, item] of value.entries()) params.append(`${key}[${i}]`, String(item));
    else params.append(key, String(value));
  }
  return params.toString();
}

/**
 * `PLACEMENT_OPTIONS` as the portal writes it (§2.2.1): a JSON string with
 * string values (`true` → "true") and slashes escaped as PHP's json_encode
 * does; no options at all is PHP's empty array, `[]` (§0.3).
 */
export function encodePlacementOptions(options: Record<string, unknown>): string {
  const entries = Object.entries(options).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "[]";
  return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, asStrings(v)]))).replace(/\//g, "\\/");
}

function asStrings(value: unknown): unknown {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(asStrings);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, asStrings(v)]),
    );
  return value === null ? "" : String(value);
}
