import { type ListOptions, likeMatch, pageRows, selectFields } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asRecord, type Params, param } from "../calls/params.js";
import { isoWithOffset } from "../portal-time.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";

/** Y/N, 1/0, true/false as the portal reads flags from form or JSON parameters. */
export function isTruthy(value: unknown): boolean {
  if (typeof value === "string") return ["y", "1", "true"].includes(value.trim().toLowerCase());
  return value === true || value === 1;
}

/** "Name Last" as tasks and other modules print a user. */
export function fullName(user: PortalUser): string {
  return [user.NAME, user.LAST_NAME].filter(Boolean).join(" ");
}

/**
 * A user as `user.get`/`user.current` render it (docs/protocol.md §13.4): ID as a
 * string, ACTIVE a real boolean, UF_DEPARTMENT an array of numbers. Fields the
 * emulator does not model come back empty, as they do for a fresh account.
 */
export function userView(user: PortalUser): Record<string, unknown> {
  const registered = isoWithOffset(user.registeredAtMs ?? 0);
  return {
    ID: String(user.ID),
    XML_ID: "",
    ACTIVE: user.ACTIVE,
    NAME: user.NAME,
    LAST_NAME: user.LAST_NAME,
    SECOND_NAME: "",
    EMAIL: user.EMAIL,
    LAST_LOGIN: registered,
    DATE_REGISTER: registered,
    TIMESTAMP_X: registered,
    LAST_ACTIVITY_DATE: registered,
    TIME_ZONE: user.TIME_ZONE,
    IS_ONLINE: "N",
    PERSONAL_GENDER: user.PERSONAL_GENDER,
    PERSONAL_WWW: "",
    PERSONAL_BIRTHDAY: "",
    PERSONAL_MOBILE: "",
    PERSONAL_CITY: "",
    WORK_PHONE: "",
    WORK_POSITION: user.WORK_POSITION,
    UF_EMPLOYMENT_DATE: "",
    UF_DEPARTMENT: [...user.UF_DEPARTMENT],
    USER_TYPE: user.USER_TYPE,
  };
}

/** The fields each limited user scope may read (api-reference/user/user-scope.md); `user` reads all. */
const USER_BASIC_FIELDS = new Set(
  "ID XML_ID ACTIVE NAME LAST_NAME SECOND_NAME TITLE EMAIL PERSONAL_PHONE WORK_PHONE WORK_POSITION WORK_COMPANY IS_ONLINE TIME_ZONE TIMESTAMP_X DATE_REGISTER LAST_ACTIVITY_DATE PERSONAL_PROFESSION PERSONAL_GENDER PERSONAL_BIRTHDAY PERSONAL_PHOTO PERSONAL_FAX PERSONAL_MOBILE PERSONAL_PAGER PERSONAL_STREET PERSONAL_MAILBOX PERSONAL_CITY PERSONAL_STATE PERSONAL_ZIP PERSONAL_COUNTRY PERSONAL_NOTES WORK_DEPARTMENT WORK_WWW WORK_FAX WORK_PAGER WORK_STREET WORK_MAILBOX WORK_CITY WORK_STATE WORK_ZIP WORK_COUNTRY WORK_PROFILE WORK_LOGO WORK_NOTES UF_DEPARTMENT UF_DISTRICT UF_SKYPE UF_SKYPE_LINK UF_ZOOM UF_TWITTER UF_FACEBOOK UF_LINKEDIN UF_XING UF_WEB_SITES UF_PHONE_INNER UF_EMPLOYMENT_DATE UF_TIMEMAN UF_SKILLS UF_INTERESTS".split(
    " ",
  ),
);
const USER_BRIEF_FIELDS = new Set(
  "ID XML_ID ACTIVE NAME LAST_NAME SECOND_NAME TITLE IS_ONLINE TIME_ZONE PERSONAL_PHOTO TIMESTAMP_X DATE_REGISTER PERSONAL_PROFESSION PERSONAL_GENDER PERSONAL_BIRTHDAY PERSONAL_CITY PERSONAL_STATE PERSONAL_COUNTRY WORK_POSITION WORK_CITY WORK_STATE WORK_COUNTRY LAST_ACTIVITY_DATE UF_EMPLOYMENT_DATE UF_TIMEMAN UF_SKILLS UF_INTERESTS UF_DEPARTMENT UF_PHONE_INNER".split(
    " ",
  ),
);

/** A user as the caller's user scope may see it: all of it with `user`, the documented subset with `user_basic`/`user_brief`. */
function visibleToScope(view: Record<string, unknown>, scopes: ReadonlySet<string>): Record<string, unknown> {
  if (scopes.has("user")) return view;
  const allowed = scopes.has("user_basic") ? USER_BASIC_FIELDS : USER_BRIEF_FIELDS;
  return Object.fromEntries(Object.entries(view).filter(([key]) => allowed.has(key)));
}

/** Parameters of user.get/user.search that are not filter keys when the filter is given at top level. */
const RESERVED = new Set([
  "SORT",
  "ORDER",
  "FILTER",
  "ADMIN_MODE",
  "START",
  "SELECT",
  "IMAGE_RESIZE",
  "AUTH",
]);

/**
 * The filter of user.get/user.search: the `FILTER` object when one is given,
 * otherwise the top-level keys (real portals accept `{"UF_DEPARTMENT": 1}`
 * without FILTER). Keys are upper-cased as the portal does.
 */
function userFilter(params: Params): Record<string, unknown> {
  const explicit = param(params, "FILTER");
  const source =
    explicit && typeof explicit === "object" && !Array.isArray(explicit)
      ? (explicit as Record<string, unknown>)
      : Object.fromEntries(Object.entries(params).filter(([k]) => !RESERVED.has(k.toUpperCase())));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) out[k.toUpperCase()] = v;
  return out;
}

/** Fields the quick search (`FIND`, `NAME_SEARCH`) looks in. */
const SEARCH_FIELDS = ["NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "WORK_POSITION"] as const;

function quickSearch(view: Record<string, unknown>, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((w) =>
    SEARCH_FIELDS.some((f) =>
      String(view[f] ?? "")
        .toLowerCase()
        .includes(w),
    ),
  );
}

/**
 * Splits the filter into what `filterRows` understands and predicates for the
 * rest: quick search, LIKE patterns with `%` in the value, `=%`/`%=` and their
 * negations. `containsFields` makes plain string filters substring searches
 * (user.search).
 */
function compileFilter(
  filter: Record<string, unknown>,
  containsFields: readonly string[] = [],
): { rest: Record<string, unknown>; predicates: Array<(row: Row) => boolean> } {
  const rest: Record<string, unknown> = {};
  const predicates: Array<(row: Row) => boolean> = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === "FIND" || key === "NAME_SEARCH") {
      const text = String(value ?? "").trim();
      if (text) predicates.push((row) => quickSearch(row, text));
      continue;
    }
    const m = /^(!=%|!%=|=%|%=)(.+)$/.exec(key);
    if (m?.[1] && m[2]) {
      const field = m[2];
      const negate = m[1].startsWith("!");
      const pattern = String(value ?? "");
      predicates.push((row) => likeMatch(row[field], pattern) !== negate);
      continue;
    }
    if (typeof value === "string" && /^[A-Z_]+$/.test(key) && key !== "ID") {
      if (containsFields.includes(key)) {
        const needle = value.toLowerCase();
        predicates.push((row) =>
          String(row[key] ?? "")
            .toLowerCase()
            .includes(needle),
        );
        continue;
      }
      if (value.includes("%")) {
        predicates.push((row) => likeMatch(row[key], value));
        continue;
      }
    }
    rest[key] = value;
  }
  return { rest, predicates };
}

function userOrder(params: Params): Record<string, unknown> {
  const sort = param(params, "sort");
  const order = param(params, "order");
  if (sort && typeof sort === "object") return asRecord(sort);
  if (typeof sort === "string" && sort.trim()) return { [sort.trim().toUpperCase()]: String(order ?? "ASC") };
  return { ID: "ASC" };
}

function listUsers(ctx: CallContext, containsFields: readonly string[] = []) {
  const { rest, predicates } = compileFilter(userFilter(ctx.params), containsFields);
  const rows: Row[] = [...ctx.portal.users.values()]
    .filter((u) => !u.IS_BOT)
    .map((u) => ({ ...userView(u), ID: u.ID }));
  const options: ListOptions = { visible: (row) => predicates.every((p) => p(row)) };
  const select = param(ctx.params, "select");
  const wanted = asArray(select);
  return pageRows(
    rows,
    { filter: rest, order: userOrder(ctx.params), start: param(ctx.params, "start") },
    (row) => {
      const view = visibleToScope({ ...row, ID: String(row.ID) }, ctx.caller.scopes);
      return wanted.length ? selectFields(view, select, Object.keys(view)) : view;
    },
    options,
  );
}

/** Access codes of docs/protocol.md §10.2 the user holds. */
function hasAccessCode(user: PortalUser, code: string): boolean {
  const c = code.trim().toUpperCase();
  if (c === "AU" || c === "G2") return true;
  if (c === "G1") return user.ADMIN;
  if (c === `U${user.ID}` || c === `IU${user.ID}`) return true;
  const dept = /^DR?(\d+)$/.exec(c);
  if (dept?.[1]) return user.UF_DEPARTMENT.includes(Number(dept[1]));
  return false;
}

export const userMethods: MethodDef[] = [
  {
    name: "user.current",
    scope: "user",
    // user_basic / user_brief open the same methods (with fewer fields on a real portal).
    altScopes: ["user_basic", "user_brief"],
    run: (ctx) => ({ result: visibleToScope(userView(ctx.user), ctx.caller.scopes) }),
  },
  {
    name: "user.get",
    scope: "user",
    // user_basic / user_brief open the same methods (with fewer fields on a real portal).
    altScopes: ["user_basic", "user_brief"],
    run: (ctx) => listUsers(ctx),
  },
  {
    name: "user.search",
    scope: "user",
    // user_basic / user_brief open the same methods (with fewer fields on a real portal).
    altScopes: ["user_basic", "user_brief"],
    run: (ctx) => listUsers(ctx, ["NAME", "LAST_NAME", "SECOND_NAME", "WORK_POSITION", "EMAIL"]),
  },
  {
    name: "user.admin",
    scope: "basic",
    run: (ctx) => ({ result: ctx.user.ADMIN }),
  },
  {
    name: "user.access",
    scope: "basic",
    run: (ctx) => {
      if (ctx.user.ADMIN) return { result: true };
      const codes = asArray(param(ctx.params, "ACCESS")).map(String);
      return { result: codes.some((code) => hasAccessCode(ctx.user, code)) };
    },
  },
  {
    name: "profile",
    scope: "basic",
    run: (ctx) => {
      const u = ctx.user;
      // Inactive users get an empty object (rendered `[]`), §10.2.
      if (!u.ACTIVE) return { result: {} };
      return {
        result: {
          ID: String(u.ID),
          ADMIN: u.ADMIN,
          NAME: u.NAME,
          LAST_NAME: u.LAST_NAME,
          PERSONAL_GENDER: u.PERSONAL_GENDER,
          TIME_ZONE: u.TIME_ZONE,
        },
      };
    },
  },
];
