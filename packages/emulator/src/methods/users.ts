import { type ListOptions, pageRows, selectFields } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asRecord, type Params, param } from "../calls/params.js";
import { EmptyPhpObject } from "../calls/php-object.js";
import { Errors } from "../calls/rest-error.js";
import { isoWithOffset } from "../portal-time.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { departmentNames } from "./departments.js";
import { compileUserFilter, userFilter } from "./user-filter.js";

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
 * A user's fields with their values as stored (dates ISO 8601): what the filter and the sort of
 * user.get read (docs/protocol.md §13.4): ID as a string, ACTIVE a real boolean, UF_DEPARTMENT an
 * array of numbers. Fields the emulator does not model come back empty, as for a fresh account.
 */
function userRecord(user: PortalUser): Record<string, unknown> {
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
    PERSONAL_CITY: user.PERSONAL_CITY ?? "",
    WORK_PHONE: "",
    WORK_POSITION: user.WORK_POSITION,
    UF_EMPLOYMENT_DATE: "",
    UF_DEPARTMENT: [...user.UF_DEPARTMENT],
    USER_TYPE: user.USER_TYPE,
  };
}

/**
 * A user as user.get and user.search list them: TIMESTAMP_X and LAST_ACTIVITY_DATE are the
 * portal's date objects, which its JSON writes as `{}` (api-reference/user/user-get.md, example).
 */
function listedUser(record: Record<string, unknown>): Record<string, unknown> {
  return { ...record, TIMESTAMP_X: new EmptyPhpObject(), LAST_ACTIVITY_DATE: new EmptyPhpObject() };
}

/**
 * The current user as user.current renders them (api-reference/user/user-current.md, example):
 * no TIMESTAMP_X nor USER_TYPE, and LAST_ACTIVITY_DATE as "2024-07-23 08:08:50" in portal time.
 */
function currentUser(user: PortalUser): Record<string, unknown> {
  const { TIMESTAMP_X: _changed, USER_TYPE: _type, ...record } = userRecord(user);
  const activity = new Date(user.registeredAtMs ?? 0).toISOString().slice(0, 19).replace("T", " ");
  return { ...record, LAST_ACTIVITY_DATE: activity };
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

function userOrder(params: Params): Record<string, unknown> {
  const sort = param(params, "sort");
  const order = param(params, "order");
  if (sort && typeof sort === "object") return asRecord(sort);
  if (typeof sort === "string" && sort.trim()) return { [sort.trim().toUpperCase()]: String(order ?? "ASC") };
  return { ID: "ASC" };
}

function listUsers(ctx: CallContext, search: boolean) {
  const { rest, predicates } = compileUserFilter(userFilter(ctx.params), {
    search,
    departmentNames: (row) => departmentNames(ctx.portal, asArray(row.UF_DEPARTMENT).map(Number)),
  });
  // user.get lists every user but bots (api-reference/user/user-get.md).
  const rows: Row[] = [...ctx.portal.users.values()]
    .filter((u) => !u.IS_BOT)
    .map((u) => ({ ...userRecord(u), ID: u.ID }));
  const options: ListOptions = { visible: (row) => predicates.every((p) => p(row)) };
  const select = param(ctx.params, "select");
  const wanted = asArray(select);
  return pageRows(
    rows,
    { filter: rest, order: userOrder(ctx.params), start: param(ctx.params, "start") },
    (row) => {
      const view = visibleToScope(listedUser({ ...row, ID: String(row.ID) }), ctx.caller.scopes);
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
    run: (ctx) => ({ result: visibleToScope(currentUser(ctx.user), ctx.caller.scopes) }),
  },
  {
    name: "user.get",
    scope: "user",
    // user_basic / user_brief open the same methods (with fewer fields on a real portal).
    altScopes: ["user_basic", "user_brief"],
    run: (ctx) => listUsers(ctx, false),
  },
  {
    name: "user.search",
    scope: "user",
    // user_basic / user_brief open the same methods (with fewer fields on a real portal).
    altScopes: ["user_basic", "user_brief"],
    run: (ctx) => listUsers(ctx, true),
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
      // ACCESS is required (api-reference/common/users/user-access.md); the page names no error
      // for its absence, so the emulator's usual one for a missing argument.
      const codes = asArray(param(ctx.params, "ACCESS")).map(String);
      if (codes.length === 0) throw Errors.argument("ACCESS");
      // Whoever may manage application settings holds every code (the page's note).
      if (ctx.user.ADMIN) return { result: true };
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
