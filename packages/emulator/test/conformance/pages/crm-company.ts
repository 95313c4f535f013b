import type { MethodPage } from "../page-fixture.js";
import type { Shape } from "../shape.js";
import {
  denyType,
  field,
  fields,
  keys,
  LINK_FIELD,
  MISSING_ID,
  MULTI_ENTRY,
  made,
  RESTRICTED,
  STATUS_FIELD,
} from "./crm-common.js";

/** crm.company.* (api-reference/crm/companies/). Companies are entity type 4. */

const COMPANY = 4;

/** crm-company-get.md's example company. */
const COMPANY_RECORD: Record<string, Shape> = {
  ID: "digits",
  COMPANY_TYPE: "string",
  TITLE: "string",
  // A file field: empty in the example (a set one is an object with the file's links).
  LOGO: "object|null",
  LEAD_ID: "digits|null",
  HAS_PHONE: "Y/N",
  HAS_EMAIL: "Y/N",
  HAS_IMOL: "Y/N",
  ASSIGNED_BY_ID: "digits",
  CREATED_BY_ID: "digits",
  MODIFY_BY_ID: "digits",
  BANKING_DETAILS: "string",
  INDUSTRY: "string",
  // "0": the revenue prints as a plain number, not as a two-decimal amount.
  REVENUE: "digits",
  CURRENCY_ID: "string",
  EMPLOYEES: "string",
  COMMENTS: "string",
  DATE_CREATE: "datetime",
  DATE_MODIFY: "datetime",
  OPENED: "Y/N",
  IS_MY_COMPANY: "Y/N",
  ...keys("ORIGINATOR_ID ORIGIN_ID ORIGIN_VERSION", "string|null"),
  ...keys(
    `ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE ADDRESS_REGION ADDRESS_PROVINCE ADDRESS_COUNTRY
     ADDRESS_COUNTRY_CODE ADDRESS_LEGAL REG_ADDRESS REG_ADDRESS_2 REG_ADDRESS_CITY REG_ADDRESS_POSTAL_CODE
     REG_ADDRESS_REGION REG_ADDRESS_PROVINCE REG_ADDRESS_COUNTRY REG_ADDRESS_COUNTRY_CODE`,
    "string|null",
  ),
  ADDRESS_LOC_ADDR_ID: "digits|null",
  REG_ADDRESS_LOC_ADDR_ID: "digits|null",
  ...keys("UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM", "string|null"),
  // The example portal's relation to smart process 156, empty there (a portal without it has no such key).
  "PARENT_ID_156?": "digits|null",
  LAST_ACTIVITY_BY: "digits",
  LAST_ACTIVITY_TIME: "datetime",
  LAST_COMMUNICATION_TIME: "string|null",
  // The example portal's user field; setup writes it.
  UF_CRM_1687188367: "string",
};

export const companyPages: MethodPage[] = [
  {
    method: "crm.company.add",
    page: "api-reference/crm/companies/crm-company-add.md",
    scope: "crm",
    parameters: [{ name: "fields", required: true }, { name: "params" }],
    setup: (ctx) => denyType(ctx, COMPANY),
    calls: [
      {
        params: {
          fields: {
            TITLE: "John Doe LLC",
            COMPANY_TYPE: "CUSTOMER",
            INDUSTRY: "MANUFACTURING",
            EMPLOYEES: "EMPLOYEES_2",
            CURRENCY_ID: "USD",
            REVENUE: 3000000,
            OPENED: "Y",
            ASSIGNED_BY_ID: 1,
            PHONE: [{ VALUE: "555888", VALUE_TYPE: "WORK" }],
          },
          params: { REGISTER_SONET_EVENT: "Y" },
        },
        result: "number",
      },
    ],
    errors: [
      {
        when: "fields is not an object",
        status: 400,
        error: "",
        description: "Parameter 'fields' must be array",
        params: { fields: "John Doe LLC" },
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        description: "Parameter 'params' must be array",
        params: { fields: { TITLE: "x" }, params: "Y" },
      },
      {
        when: "the user may not add companies",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: { fields: { TITLE: "x" } },
      },
      {
        when: "an e-mail is not an address",
        status: 400,
        error: "ERROR_CORE",
        description: "contains an invalid address",
        params: { fields: { TITLE: "x", EMAIL: [{ VALUE: "office at example", VALUE_TYPE: "WORK" }] } },
      },
      // Not provoked: "Disk resource exhausted" (the portal's disk quota).
    ],
  },
  {
    method: "crm.company.get",
    page: "api-reference/crm/companies/crm-company-get.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.company.add", {
        fields: {
          TITLE: "GAZPROM",
          COMPANY_TYPE: "CUSTOMER",
          BANKING_DETAILS: "7736050003",
          INDUSTRY: "IT",
          CURRENCY_ID: "EUR",
          EMPLOYEES: "EMPLOYEES_1",
          COMMENTS: "",
          OPENED: "N",
          UF_CRM_1687188367: "",
        },
      });
      await denyType(ctx, COMPANY);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: COMPANY_RECORD }],
    errors: [
      {
        when: "the user may not read companies",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id }),
      },
      {
        when: "no company has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.company.list",
    page: "api-reference/crm/companies/crm-company-list.md",
    scope: "crm",
    parameters: [{ name: "select" }, { name: "filter" }, { name: "order" }, { name: "start" }],
    async setup(ctx) {
      await made(ctx, "crm.company.add", {
        fields: {
          TITLE: "Crossroads",
          COMPANY_TYPE: "CUSTOMER",
          PHONE: [{ VALUE: "+19998887766", VALUE_TYPE: "WORK" }],
        },
      });
      await made(ctx, "crm.company.add", { fields: { TITLE: "Supplier", COMPANY_TYPE: "SUPPLIER" } });
      await denyType(ctx, COMPANY);
    },
    calls: [
      {
        params: {
          order: { DATE_CREATE: "ASC" },
          filter: { COMPANY_TYPE: "CUSTOMER", ">=DATE_CREATE": "2025-01-01" },
          select: ["TITLE", "ASSIGNED_BY_ID", "PHONE"],
        },
        // ID comes along although select leaves it out.
        result: [{ TITLE: "string", ASSIGNED_BY_ID: "digits", ID: "digits", PHONE: [MULTI_ENTRY] }],
        envelope: { total: "number" },
      },
    ],
    errors: [
      {
        when: "the user may not read companies",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: {},
      },
      {
        when: "order is not an array",
        status: 400,
        error: "",
        description: "Parameter 'order' must be array",
        params: { order: "TITLE" },
      },
      {
        when: "filter is not an array",
        status: 400,
        error: "",
        description: "Parameter 'filter' must be array",
        params: { filter: "CUSTOMER" },
      },
      // Not provoked: "Failed to get list. General error" (an unknown database failure).
    ],
  },
  {
    method: "crm.company.update",
    page: "api-reference/crm/companies/crm-company-update.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }, { name: "fields", required: true }, { name: "params" }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.company.add", { fields: { TITLE: "To update" } });
      await denyType(ctx, COMPANY);
    },
    calls: [
      {
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: { CURRENCY_ID: "EUR", REVENUE: 500000, EMPLOYEES: "EMPLOYEES_3" },
          params: { REGISTER_SONET_EVENT: "Y", REGISTER_HISTORY_EVENT: "Y" },
        }),
        result: "boolean",
      },
    ],
    errors: [
      {
        // The table words it "must be an array", the other CRM pages "must be array": only the code is checked.
        when: "fields is not an object",
        status: 400,
        error: "",
        params: (ctx) => ({ id: ctx.vars.id, fields: "EUR" }),
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        params: (ctx) => ({ id: ctx.vars.id, fields: { TITLE: "x" }, params: "Y" }),
      },
      {
        when: "the user may not edit companies",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id, fields: { TITLE: "x" } }),
      },
      {
        when: "an e-mail is not an address",
        status: 400,
        error: "ERROR_CORE",
        description: "contains an invalid address",
        params: (ctx) => ({ id: ctx.vars.id, fields: { EMAIL: [{ VALUE: "@example.com" }] } }),
      },
      {
        // The page's error example.
        when: "no company has the id",
        status: 400,
        error: "",
        description: "Company is not found",
        params: { id: MISSING_ID, fields: { TITLE: "x" } },
      },
      // Not provoked: "Exhausted allocated disk resource" (the portal's disk quota).
    ],
  },
  {
    method: "crm.company.delete",
    page: "api-reference/crm/companies/crm-company-delete.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.company.add", { fields: { TITLE: "To delete" } });
      ctx.vars.kept = await made(ctx, "crm.company.add", { fields: { TITLE: "Kept" } });
      await denyType(ctx, COMPANY);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: "boolean" }],
    errors: [
      {
        when: "the user may not delete companies",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.kept }),
      },
      {
        when: "no company has the id",
        status: 400,
        error: "",
        description: "Company is not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.company.fields",
    page: "api-reference/crm/companies/crm-company-fields.md",
    scope: "crm",
    parameters: [],
    setup: (ctx) => denyType(ctx, COMPANY),
    calls: [
      {
        params: {},
        result: {
          ...fields(
            `ID TITLE COMPANY_TYPE LOGO ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE ADDRESS_REGION
             ADDRESS_PROVINCE ADDRESS_COUNTRY ADDRESS_COUNTRY_CODE ADDRESS_LOC_ADDR_ID ADDRESS_LEGAL REG_ADDRESS
             REG_ADDRESS_2 REG_ADDRESS_CITY REG_ADDRESS_POSTAL_CODE REG_ADDRESS_REGION REG_ADDRESS_PROVINCE
             REG_ADDRESS_COUNTRY REG_ADDRESS_COUNTRY_CODE REG_ADDRESS_LOC_ADDR_ID BANKING_DETAILS INDUSTRY
             EMPLOYEES CURRENCY_ID REVENUE OPENED COMMENTS HAS_PHONE HAS_EMAIL HAS_IMOL IS_MY_COMPANY
             ASSIGNED_BY_ID CREATED_BY_ID MODIFY_BY_ID DATE_CREATE DATE_MODIFY CONTACT_ID LEAD_ID ORIGINATOR_ID
             ORIGIN_ID ORIGIN_VERSION UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM LAST_ACTIVITY_TIME
             LAST_ACTIVITY_BY LAST_COMMUNICATION_TIME PHONE EMAIL WEB IM LINK`,
            {
              COMPANY_TYPE: STATUS_FIELD,
              INDUSTRY: STATUS_FIELD,
              EMPLOYEES: STATUS_FIELD,
              LEAD_ID: LINK_FIELD,
            },
          ),
          // The example portal's own relation and user fields (a portal without them lists none).
          "PARENT_ID_156?": LINK_FIELD,
          "UF_CRM_1687188367?": field({
            listLabel: "string",
            formLabel: "string",
            filterLabel: "string",
            settings: "object",
          }),
          "UF_CRM_64A29A1CD5CC2?": field({
            listLabel: "string",
            formLabel: "string",
            filterLabel: "string",
            settings: "object",
          }),
        },
      },
    ],
    errors: [
      {
        when: "the user may not read companies",
        status: 400,
        error: "",
        description: "Access denied.",
        as: RESTRICTED,
        params: {},
      },
    ],
  },
];
