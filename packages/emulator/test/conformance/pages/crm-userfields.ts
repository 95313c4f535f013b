import type { MethodPage, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";
import { MISSING_ID, made, RESTRICTED } from "./crm-common.js";

/*
 * crm.{deal,lead,contact,company}.userfield.* (api-reference/crm/deals/user-defined-fields/,
 * crm/leads/userfield/, crm/contacts/userfield/, crm/companies/userfields/): the same five
 * methods per object, each page's example call and error table.
 */

interface UfObject {
  code: "deal" | "lead" | "contact" | "company";
  folder: string;
  /** The page's file prefix: crm-deal-userfield-add.md → "crm-deal-userfield". */
  prefix: string;
  entityId: string;
  badType: string;
}

const OBJECTS: UfObject[] = [
  {
    code: "deal",
    folder: "api-reference/crm/deals/user-defined-fields",
    prefix: "crm-deal-userfield",
    entityId: "CRM_DEAL",
    badType: "Incorrect custom type specified",
  },
  {
    code: "lead",
    folder: "api-reference/crm/leads/userfield",
    prefix: "crm-lead-userfield",
    entityId: "CRM_LEAD",
    badType: "Invalid custom type specified",
  },
  {
    code: "contact",
    folder: "api-reference/crm/contacts/userfield",
    prefix: "crm-contact-userfield",
    entityId: "CRM_CONTACT",
    badType: "Incorrect custom type specified",
  },
  {
    code: "company",
    folder: "api-reference/crm/companies/userfields",
    prefix: "crm-company-userfield",
    entityId: "CRM_COMPANY",
    badType: "Invalid custom type specified",
  },
];

/** The add pages' first example: a multiple, mandatory string field with labels per language. */
const HELLO_WORLD = {
  LABEL: "Field 'Hello, world!'",
  USER_TYPE_ID: "string",
  FIELD_NAME: "HELLO_WORLD",
  MULTIPLE: "Y",
  MANDATORY: "Y",
  SHOW_FILTER: "Y",
  SETTINGS: { DEFAULT_VALUE: "Hello, world! Default value", ROWS: 3 },
  SORT: 1000,
  EDIT_IN_LIST: "Y",
  LIST_FILTER_LABEL: "Hello, world! Filter",
  LIST_COLUMN_LABEL: { en: "Hello, World! Column", de: "Hallo, Welt! Spalte" },
  EDIT_FORM_LABEL: { en: "Hello, World! Edit", de: "Hallo, Welt! Bearbeiten" },
  ERROR_MESSAGE: { en: "Hello, World! Error", de: "Hallo, Welt! Fehler" },
  HELP_MESSAGE: { en: "Hello, World! Help", de: "Hallo, Welt! Hilfe" },
};

const BASE: Record<string, Shape> = {
  ID: "digits",
  ENTITY_ID: "string",
  FIELD_NAME: "string",
  USER_TYPE_ID: "string",
  XML_ID: "string|null",
  SORT: "digits",
  MULTIPLE: "Y/N",
  MANDATORY: "Y/N",
  SHOW_FILTER: "string",
  SHOW_IN_LIST: "Y/N",
  EDIT_IN_LIST: "Y/N",
  IS_SEARCHABLE: "Y/N",
  SETTINGS: "object",
};
const LABELS = ["EDIT_FORM_LABEL", "LIST_COLUMN_LABEL", "LIST_FILTER_LABEL", "ERROR_MESSAGE", "HELP_MESSAGE"];

/** crm-deal-userfield-get.md's record: labels as lang maps. */
const FIELD_RECORD: Shape = { ...BASE, ...Object.fromEntries(LABELS.map((k) => [k, { "...": "any" }])) };
/** crm-deal-userfield-list.md's entries with filter.LANG: labels as strings (or null). */
const LISTED_FIELD: Shape = {
  ...BASE,
  ...Object.fromEntries(LABELS.map((k) => [k, "string|null"])),
  "LIST?": "array",
};

function pagesOf(o: UfObject): MethodPage[] {
  const method = (op: string) => `crm.${o.code}.userfield.${op}`;
  const page = (op: string) => `${o.folder}/${o.prefix}-${op}.md`;
  const field = async (ctx: PageContext, name: string, extra: Record<string, unknown> = {}) =>
    made(ctx, method("add"), { fields: { FIELD_NAME: name, USER_TYPE_ID: "string", LABEL: name, ...extra } });
  const withField = async (ctx: PageContext) => {
    ctx.vars.id = await field(ctx, "HELLO_WORLD", { MULTIPLE: "Y", MANDATORY: "Y" });
  };
  return [
    {
      method: method("add"),
      page: page("add"),
      scope: "crm",
      parameters: [{ name: "fields", required: true }],
      calls: [{ params: { fields: HELLO_WORLD }, result: "number" }],
      errors: [
        {
          when: "FIELD_NAME is empty or not given",
          status: 400,
          error: "",
          description: "The 'FIELD_NAME' field is not found",
          params: { fields: { USER_TYPE_ID: "string" } },
        },
        {
          when: "USER_TYPE_ID is empty or not given",
          status: 400,
          error: "",
          description: "The 'USER_TYPE_ID' field is not found",
          params: { fields: { FIELD_NAME: "NO_TYPE" } },
        },
        {
          when: "the full name is longer than 50 characters",
          status: 400,
          error: "ERROR_CORE",
          description: "Field name is too long (more than 50 characters)",
          params: { fields: { FIELD_NAME: "N".repeat(44), USER_TYPE_ID: "string" } },
        },
        {
          when: "FIELD_NAME has characters other than A-Z, 0-9 and _",
          status: 400,
          error: "ERROR_CORE",
          description: "Field name contains invalid characters",
          params: { fields: { FIELD_NAME: "BAD-NAME", USER_TYPE_ID: "string" } },
        },
        {
          when: "USER_TYPE_ID does not exist",
          status: 400,
          error: "ERROR_CORE",
          description: o.badType,
          params: { fields: { FIELD_NAME: "UNKNOWN_TYPE", USER_TYPE_ID: "rest_999_missing" } },
        },
        {
          when: "list items share an XML_ID",
          status: 400,
          error: "ERROR_CORE",
          description: "XML_ID=X1 already exists",
          params: {
            fields: {
              FIELD_NAME: "ENUM_DUP",
              USER_TYPE_ID: "enumeration",
              LIST: [
                { VALUE: "One", XML_ID: "X1" },
                { VALUE: "Two", XML_ID: "X1" },
              ],
            },
          },
        },
        {
          when: "the caller is not a CRM administrator",
          status: 403,
          error: "",
          description: "Access denied",
          as: RESTRICTED,
          params: { fields: { FIELD_NAME: "MINE", USER_TYPE_ID: "string" } },
        },
      ],
    },
    {
      method: method("get"),
      page: page("get"),
      scope: "crm",
      parameters: [{ name: "id", required: true }],
      setup: withField,
      calls: [
        {
          params: (ctx) => ({ id: ctx.vars.id }),
          result: FIELD_RECORD,
          check: (result) => {
            if (result.ENTITY_ID !== o.entityId || result.FIELD_NAME !== "UF_CRM_HELLO_WORLD")
              throw new Error(`the object's field: ${JSON.stringify(result)}`);
          },
        },
      ],
      errors: [
        {
          when: "id is zero",
          status: 400,
          error: "",
          description: "ID is not defined or invalid",
          params: { id: 0 },
        },
        {
          when: "there is no field with this id",
          status: 400,
          error: "ERROR_NOT_FOUND",
          description: `The entity with ID '${MISSING_ID}' is not found`,
          params: { id: MISSING_ID },
        },
      ],
    },
    {
      method: method("list"),
      page: page("list"),
      scope: "crm",
      parameters: [{ name: "filter" }, { name: "order" }],
      async setup(ctx) {
        await field(ctx, "FIRST", { MULTIPLE: "Y", MANDATORY: "Y", EDIT_FORM_LABEL: { de: "Erstes" } });
        await field(ctx, "SECOND", { MULTIPLE: "Y", MANDATORY: "Y", SORT: 50 });
        await field(ctx, "OTHER");
      },
      calls: [
        {
          params: {
            filter: { MULTIPLE: "Y", MANDATORY: "Y", LANG: "de" },
            order: { USER_TYPE_ID: "ASC", SORT: "ASC" },
          },
          result: [LISTED_FIELD],
          envelope: { total: "number" },
          check: (result) => {
            const names = (result as Array<{ FIELD_NAME: string }>).map((f) => f.FIELD_NAME);
            if (JSON.stringify(names) !== JSON.stringify(["UF_CRM_SECOND", "UF_CRM_FIRST"]))
              throw new Error(`filtered and sorted by SORT: ${JSON.stringify(names)}`);
            if (result[1].EDIT_FORM_LABEL !== "Erstes") throw new Error("labels in filter.LANG");
          },
        },
      ],
      errors: [
        {
          when: "filter is not an object",
          status: 400,
          error: "",
          description: "Parameter 'filter' must be array",
          params: { filter: "MULTIPLE" },
        },
        {
          when: "order is not an object",
          status: 400,
          error: "",
          description: "Parameter 'order' must be array",
          params: { order: "SORT" },
        },
      ],
    },
    {
      method: method("update"),
      page: page("update"),
      scope: "crm",
      parameters: [
        { name: "id", required: true },
        { name: "fields", required: true },
      ],
      setup: withField,
      calls: [
        {
          params: (ctx) => ({
            id: ctx.vars.id,
            fields: {
              MANDATORY: "N",
              SETTINGS: { DEFAULT_VALUE: "Hello, World! Default value (changed)", ROWS: 10 },
              EDIT_FORM_LABEL: { en: "Hello, World! Edit (changed)" },
            },
          }),
          result: "boolean",
          check: async (_result, ctx) => {
            const got = await made(ctx, method("get"), { id: ctx.vars.id });
            if (got.MANDATORY !== "N" || got.SETTINGS.ROWS !== 10 || got.EDIT_FORM_LABEL.de !== "")
              throw new Error(`updated as the page says: ${JSON.stringify(got)}`);
          },
        },
      ],
      errors: [
        {
          when: "there is no field with this id",
          status: 400,
          error: "ERROR_NOT_FOUND",
          params: { id: MISSING_ID, fields: { SORT: 10 } },
        },
        {
          when: "fields is not an object",
          status: 400,
          error: "",
          description: "Parameter 'fields' must be array",
          params: (ctx) => ({ id: ctx.vars.id, fields: "SORT" }),
        },
        {
          when: "the caller is not an administrator",
          status: 403,
          error: "",
          description: "Access denied",
          as: RESTRICTED,
          params: (ctx) => ({ id: ctx.vars.id, fields: { SORT: 10 } }),
        },
      ],
    },
    {
      method: method("delete"),
      page: page("delete"),
      scope: "crm",
      parameters: [{ name: "id", required: true }],
      async setup(ctx) {
        await withField(ctx);
        ctx.vars.kept = await field(ctx, "KEPT");
      },
      calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: "boolean" }],
      errors: [
        {
          when: "id is not given as a positive number",
          status: 400,
          error: "",
          description: "ID is not defined or invalid",
          params: { id: -1 },
        },
        {
          when: "there is no field with this id",
          status: 400,
          error: "ERROR_NOT_FOUND",
          params: { id: MISSING_ID },
        },
        {
          when: "the caller is not an administrator",
          status: 403,
          error: "",
          description: "Access denied",
          as: RESTRICTED,
          params: (ctx) => ({ id: ctx.vars.kept }),
        },
      ],
    },
  ];
}

export const crmUserFieldPages: MethodPage[] = OBJECTS.flatMap(pagesOf);
