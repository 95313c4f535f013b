import { control } from "@b24kit/emulator/testing";
import type { DocumentedError, MethodPage, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";

type ObjectShape = Record<string, Shape>;

/** The system error every scoped method answers a caller without its scope (_includes/system-errors.md). */
function insufficientScope(params: DocumentedError["params"] = {}): DocumentedError {
  return {
    when: "the webhook lacks the method's scope",
    status: 403,
    error: "insufficient_scope",
    description: "The request requires higher privileges than provided by the webhook token",
    as: { user: ["crm"] },
    params,
  };
}

/** Fields a `user_brief` caller may read (api-reference/user/user-scope.md). */
const USER_BRIEF_FIELDS =
  "ID XML_ID ACTIVE NAME LAST_NAME SECOND_NAME TITLE IS_ONLINE TIME_ZONE PERSONAL_PHOTO TIMESTAMP_X DATE_REGISTER PERSONAL_PROFESSION PERSONAL_GENDER PERSONAL_BIRTHDAY PERSONAL_CITY PERSONAL_STATE PERSONAL_COUNTRY WORK_POSITION WORK_CITY WORK_STATE WORK_COUNTRY LAST_ACTIVITY_DATE UF_EMPLOYMENT_DATE UF_TIMEMAN UF_SKILLS UF_INTERESTS UF_DEPARTMENT UF_PHONE_INNER".split(
    " ",
  );

/** Fields a `user_basic` caller may read (api-reference/user/user-scope.md). */
const USER_BASIC_FIELDS =
  "ID XML_ID ACTIVE NAME LAST_NAME SECOND_NAME TITLE EMAIL PERSONAL_PHONE WORK_PHONE WORK_POSITION WORK_COMPANY IS_ONLINE TIME_ZONE TIMESTAMP_X DATE_REGISTER LAST_ACTIVITY_DATE PERSONAL_PROFESSION PERSONAL_GENDER PERSONAL_BIRTHDAY PERSONAL_PHOTO PERSONAL_FAX PERSONAL_MOBILE PERSONAL_PAGER PERSONAL_STREET PERSONAL_MAILBOX PERSONAL_CITY PERSONAL_STATE PERSONAL_ZIP PERSONAL_COUNTRY PERSONAL_NOTES WORK_DEPARTMENT WORK_WWW WORK_FAX WORK_PAGER WORK_STREET WORK_MAILBOX WORK_CITY WORK_STATE WORK_ZIP WORK_COUNTRY WORK_PROFILE WORK_LOGO WORK_NOTES UF_DEPARTMENT UF_DISTRICT UF_SKYPE UF_SKYPE_LINK UF_ZOOM UF_TWITTER UF_FACEBOOK UF_LINKEDIN UF_XING UF_WEB_SITES UF_PHONE_INNER UF_EMPLOYMENT_DATE UF_TIMEMAN UF_SKILLS UF_INTERESTS".split(
    " ",
  );

/** Only the keys of `shape` that name one of `fields` (what a narrower user scope leaves of a user). */
function limitedTo(shape: ObjectShape, fields: readonly string[]): ObjectShape {
  return Object.fromEntries(Object.entries(shape).filter(([key]) => fields.includes(key.replace(/\?$/, ""))));
}

/**
 * A user as user.get's and user.search's example responses show one (api-reference/user/user-get.md).
 * Keys the first example user has and the second lacks are optional (a portal leaves out fields a user
 * never filled in). TIMESTAMP_X and LAST_ACTIVITY_DATE are `{}` in both examples: the portal serializes
 * these two dates as empty objects. XML_ID is in neither example but is a field of every user scope
 * (user-scope.md).
 */
const LISTED_USER: ObjectShape = {
  ID: "digits",
  "XML_ID?": "string",
  ACTIVE: "boolean",
  NAME: "string",
  LAST_NAME: "string",
  "SECOND_NAME?": "string",
  EMAIL: "string",
  LAST_LOGIN: "datetime",
  DATE_REGISTER: "datetime",
  "TIME_ZONE?": "string",
  IS_ONLINE: "Y/N",
  TIMESTAMP_X: {},
  LAST_ACTIVITY_DATE: {},
  PERSONAL_GENDER: "string",
  "PERSONAL_WWW?": "string",
  // An ISO date ("2018-07-14T00:00:00+00:00") or "" when not given.
  PERSONAL_BIRTHDAY: "string",
  "PERSONAL_MOBILE?": "string",
  "PERSONAL_CITY?": "string",
  "WORK_PHONE?": "string",
  WORK_POSITION: "string",
  UF_EMPLOYMENT_DATE: "string",
  UF_DEPARTMENT: ["number"],
  USER_TYPE: "string",
};

/**
 * The current user as user.current's example response shows them (api-reference/user/user-current.md):
 * no TIMESTAMP_X and no USER_TYPE, and LAST_ACTIVITY_DATE as a plain "2024-07-23 08:08:50" string.
 * The optional keys are the fields user.get's example shows for one user and not the other.
 */
const CURRENT_USER: ObjectShape = {
  ID: "digits",
  "XML_ID?": "string",
  ACTIVE: "boolean",
  NAME: "string",
  LAST_NAME: "string",
  "SECOND_NAME?": "string",
  EMAIL: "string",
  LAST_LOGIN: "datetime",
  DATE_REGISTER: "datetime",
  "TIME_ZONE?": "string",
  IS_ONLINE: "Y/N",
  LAST_ACTIVITY_DATE: "string",
  PERSONAL_GENDER: "string",
  "PERSONAL_WWW?": "string",
  PERSONAL_BIRTHDAY: "string",
  "PERSONAL_MOBILE?": "string",
  "PERSONAL_CITY?": "string",
  "WORK_PHONE?": "string",
  WORK_POSITION: "string",
  UF_EMPLOYMENT_DATE: "string",
  UF_DEPARTMENT: ["number"],
};

/** Employees of department 1 for the list examples, which page from `start: 10` and filter by name and city. */
async function addEmployees(ctx: PageContext): Promise<void> {
  const api = control(ctx.emu);
  const people = [
    { NAME: "Ivan", LAST_NAME: "Petrov", PERSONAL_CITY: "New York", WORK_POSITION: "Sales manager" },
    { NAME: "Laura", LAST_NAME: "Stone", PERSONAL_CITY: "Los Angeles", WORK_POSITION: "Accountant" },
    ...Array.from({ length: 10 }, (_, i) => ({ NAME: `Worker${i}`, LAST_NAME: "Brown" })),
  ];
  for (const person of people)
    await api.addUser(ctx.portal.memberId, { ...person, UF_DEPARTMENT: [1], webhookScopes: ["user"] });
}

/** A department under the top-level one, its id kept in `ctx.vars[key]`. */
async function addDepartment(ctx: PageContext, key: string, name: string): Promise<void> {
  const added = await ctx.call("department.add", { NAME: name, PARENT: 1 });
  ctx.vars[key] = added.body.result;
}

const LIST_EXAMPLE = { UF_DEPARTMENT: 1, SORT: "ID", ORDER: "asc", start: 10 };

const userPages: MethodPage[] = [
  {
    method: "user.current",
    page: "api-reference/user/user-current.md",
    scope: "user",
    parameters: [],
    calls: [
      { params: {}, result: CURRENT_USER },
      {
        title: "user_brief: only the fields of user-scope.md",
        as: { user: ["user_brief"] },
        params: {},
        result: limitedTo(CURRENT_USER, USER_BRIEF_FIELDS),
      },
    ],
    errors: [insufficientScope()],
  },
  {
    method: "user.get",
    page: "api-reference/user/user-get.md",
    scope: "user",
    parameters: [
      { name: "sort" },
      { name: "order" },
      { name: "FILTER" },
      { name: "ADMIN_MODE" },
      { name: "select" },
      { name: "IMAGE_RESIZE" },
      { name: "start" },
    ],
    setup: addEmployees,
    calls: [
      { params: LIST_EXAMPLE, result: [LISTED_USER], envelope: { total: "number" } },
      {
        title: 'name starting with "Iv"',
        params: { filter: { NAME: "Iv%" } },
        result: [LISTED_USER],
        envelope: { total: "number" },
      },
      {
        title: 'last name not containing "an"',
        params: { filter: { "!%LAST_NAME": "an" } },
        result: [LISTED_USER],
        envelope: { total: "number" },
      },
      {
        title: "several cities",
        params: { filter: { "@PERSONAL_CITY": ["New York", "Los Angeles"] } },
        result: [LISTED_USER],
        envelope: { total: "number" },
      },
      {
        title: "user_brief: only the fields of user-scope.md",
        as: { user: ["user_brief"] },
        params: LIST_EXAMPLE,
        result: [limitedTo(LISTED_USER, USER_BRIEF_FIELDS)],
        envelope: { total: "number" },
      },
      {
        title: "user_basic: only the fields of user-scope.md",
        as: { app: ["user_basic"] },
        params: LIST_EXAMPLE,
        result: [limitedTo(LISTED_USER, USER_BASIC_FIELDS)],
        envelope: { total: "number" },
      },
    ],
    errors: [insufficientScope(LIST_EXAMPLE)],
  },
  {
    method: "user.search",
    page: "api-reference/user/user-search.md",
    scope: "user",
    parameters: [
      { name: "FILTER" },
      { name: "sort" },
      { name: "order" },
      { name: "ADMIN_MODE" },
      { name: "select" },
      { name: "start" },
    ],
    setup: addEmployees,
    // The page's example response is user.get's, word for word.
    calls: [
      { params: LIST_EXAMPLE, result: [LISTED_USER], envelope: { total: "number" } },
      {
        title: "FIND",
        params: { FILTER: { FIND: "Petr" } },
        result: [LISTED_USER],
        envelope: { total: "number" },
      },
      {
        title: "user_brief: only the fields of user-scope.md",
        as: { user: ["user_brief"] },
        params: LIST_EXAMPLE,
        result: [limitedTo(LISTED_USER, USER_BRIEF_FIELDS)],
        envelope: { total: "number" },
      },
    ],
    errors: [insufficientScope(LIST_EXAMPLE)],
  },
  {
    method: "user.admin",
    page: "api-reference/common/users/user-admin.md",
    scope: "basic",
    parameters: [],
    calls: [
      { params: {}, result: "boolean" },
      { title: "an employee", as: { user: ["user"] }, params: {}, result: "boolean" },
    ],
  },
  {
    method: "user.access",
    page: "api-reference/common/users/user-access.md",
    scope: "basic",
    parameters: [{ name: "ACCESS", required: true }],
    calls: [
      { params: { ACCESS: ["G2", "AU"] }, result: "boolean" },
      { title: "an employee", as: { user: ["user"] }, params: { ACCESS: ["G1"] }, result: "boolean" },
    ],
  },
  {
    method: "profile",
    page: "api-reference/common/users/profile.md",
    scope: "basic",
    parameters: [],
    calls: [
      {
        params: {},
        // PERSONAL_PHOTO only once a photo is uploaded (the page's table).
        result: {
          ID: "digits",
          ADMIN: "boolean",
          NAME: "string",
          LAST_NAME: "string",
          PERSONAL_GENDER: "string",
          TIME_ZONE: "string",
          "PERSONAL_PHOTO?": "string",
        },
      },
      {
        title: "an app without the user scopes",
        as: { app: ["crm"] },
        params: {},
        result: {
          ID: "digits",
          ADMIN: "boolean",
          NAME: "string",
          LAST_NAME: "string",
          PERSONAL_GENDER: "string",
          TIME_ZONE: "string",
          "PERSONAL_PHOTO?": "string",
        },
      },
    ],
  },
];

/** A department as department.get's example shows one; UF_HEAD (department.fields) when it has a head. */
const DEPARTMENT: ObjectShape = {
  ID: "digits",
  NAME: "string",
  SORT: "number",
  PARENT: "digits",
  "UF_HEAD?": "digits",
};

const accessDenied = (params: DocumentedError["params"]): DocumentedError => ({
  when: "the caller may not change the company structure",
  status: 400,
  error: "ERROR_CORE",
  description: "Access denied",
  as: { user: ["department"] },
  params,
});

const notFound = (params: DocumentedError["params"]): DocumentedError => ({
  when: "there is no department with that ID",
  status: 400,
  error: "ERROR_CORE",
  description: "Department not found",
  params,
});

const departmentPages: MethodPage[] = [
  {
    method: "department.fields",
    page: "api-reference/departments/department-fields.md",
    scope: "department",
    parameters: [],
    calls: [
      {
        params: {},
        result: { ID: "string", NAME: "string", SORT: "string", PARENT: "string", UF_HEAD: "string" },
      },
    ],
    errors: [insufficientScope()],
  },
  {
    method: "department.get",
    page: "api-reference/departments/department-get.md",
    scope: "department",
    parameters: [
      { name: "sort" },
      { name: "order" },
      { name: "ID" },
      { name: "NAME" },
      { name: "SORT" },
      { name: "PARENT" },
      { name: "UF_HEAD" },
      { name: "START" },
    ],
    setup: async (ctx) => {
      await addDepartment(ctx, "accounting", "Accounting");
      await addDepartment(ctx, "sales", "Sales Department");
    },
    calls: [
      {
        params: { sort: "NAME", order: "DESC", PARENT: 1 },
        result: [DEPARTMENT],
        envelope: { total: "number" },
      },
    ],
    errors: [insufficientScope()],
  },
  {
    method: "department.add",
    page: "api-reference/departments/department-add.md",
    scope: "department",
    parameters: [
      { name: "NAME", required: true },
      { name: "SORT" },
      { name: "PARENT", required: true },
      { name: "UF_HEAD" },
    ],
    setup: (ctx) => addDepartment(ctx, "parent", "Hogwarts"),
    calls: [
      {
        params: (ctx) => ({
          NAME: "Muggle Studies Department",
          SORT: 450,
          UF_HEAD: 1,
          PARENT: ctx.vars.parent,
        }),
        result: "number",
      },
    ],
    errors: [
      {
        when: "NAME is missing",
        status: 400,
        error: "ERROR_CORE",
        description: "Department name not provided.<br>",
        params: { PARENT: 1 },
      },
      {
        when: "PARENT names no department",
        status: 400,
        error: "ERROR_CORE",
        description: "There can only be one top-level department in the company structure",
        params: { NAME: "Second top", PARENT: 999_999 },
      },
      accessDenied({ NAME: "Department of Mysteries", PARENT: 1 }),
      insufficientScope({ NAME: "Department of Mysteries", PARENT: 1 }),
    ],
  },
  {
    method: "department.update",
    page: "api-reference/departments/department-update.md",
    scope: "department",
    parameters: [
      { name: "ID", required: true },
      { name: "NAME" },
      { name: "SORT" },
      { name: "PARENT" },
      { name: "UF_HEAD" },
    ],
    setup: (ctx) => addDepartment(ctx, "department", "Department of Mysteries"),
    calls: [
      {
        params: (ctx) => ({
          ID: ctx.vars.department,
          NAME: "Department of Secrets",
          SORT: 500,
          UF_HEAD: 1,
          PARENT: 1,
        }),
        result: "boolean",
      },
    ],
    errors: [
      notFound({ ID: 999_999, NAME: "Nowhere" }),
      accessDenied((ctx) => ({ ID: ctx.vars.department, NAME: "Taken over" })),
      insufficientScope((ctx) => ({ ID: ctx.vars.department, NAME: "Taken over" })),
    ],
  },
  {
    method: "department.delete",
    page: "api-reference/departments/department-delete.md",
    scope: "department",
    parameters: [{ name: "ID", required: true }],
    setup: async (ctx) => {
      await addDepartment(ctx, "department", "Department of Secrets");
      await addDepartment(ctx, "kept", "Kept Department");
    },
    calls: [{ params: (ctx) => ({ ID: ctx.vars.department }), result: "boolean" }],
    errors: [
      notFound((ctx) => ({ ID: ctx.vars.department })),
      accessDenied((ctx) => ({ ID: ctx.vars.kept })),
      insufficientScope((ctx) => ({ ID: ctx.vars.kept })),
    ],
  },
];

export const userDepartmentPages: MethodPage[] = [...userPages, ...departmentPages];
