import type { MethodPage, PageContext } from "../page-fixture.js";
import {
  DEPRECATED_FIELD,
  denyType,
  fields,
  LINK_FIELD,
  MISSING_ID,
  made,
  RESTRICTED,
  STATUS_FIELD,
} from "./crm-common.js";

/** crm.deal.* (api-reference/crm/deals/). Deals are entity type 2. */

const DEAL = 2;

/** The deal crm-deal-add.md creates, linked to a company and two contacts made first. */
async function exampleDeal(ctx: PageContext): Promise<number> {
  const company = await made(ctx, "crm.company.add", { fields: { TITLE: "Example company" } });
  const first = await made(ctx, "crm.contact.add", { fields: { NAME: "First" } });
  const second = await made(ctx, "crm.contact.add", { fields: { NAME: "Second" } });
  ctx.vars.companyId = company;
  ctx.vars.contactIds = [first, second];
  return made(ctx, "crm.deal.add", {
    fields: {
      TITLE: "New Deal #1",
      TYPE_ID: "COMPLEX",
      CATEGORY_ID: 0,
      STAGE_ID: "PREPARATION",
      PROBABILITY: 99,
      CURRENCY_ID: "EUR",
      OPPORTUNITY: 1000000,
      IS_MANUAL_OPPORTUNITY: "Y",
      COMPANY_ID: company,
      CONTACT_IDS: [first, second],
      OPENED: "Y",
      COMMENTS: "[B]Example comment[/B]",
      ADDITIONAL_INFO: "Additional information",
      SOURCE_ID: "CALLBACK",
      SOURCE_DESCRIPTION: "Additional source information",
      UTM_SOURCE: "google",
      UTM_MEDIUM: "CPC",
      PARENT_ID_1220: 22,
      UF_CRM_1721244482250: "Hello world!",
    },
  });
}

/** crm-deal-get.md's example deal: every field its example shows, with the example's value types. */
const DEAL_RECORD = {
  ID: "digits",
  TITLE: "string",
  TYPE_ID: "string",
  STAGE_ID: "string",
  PROBABILITY: "digits",
  CURRENCY_ID: "string",
  OPPORTUNITY: "string",
  IS_MANUAL_OPPORTUNITY: "Y/N",
  TAX_VALUE: "string",
  LEAD_ID: "digits|null",
  COMPANY_ID: "digits",
  CONTACT_ID: "digits",
  QUOTE_ID: "digits|null",
  BEGINDATE: "datetime",
  CLOSEDATE: "datetime",
  ASSIGNED_BY_ID: "digits",
  CREATED_BY_ID: "digits",
  MODIFY_BY_ID: "digits",
  DATE_CREATE: "datetime",
  DATE_MODIFY: "datetime",
  OPENED: "Y/N",
  CLOSED: "Y/N",
  COMMENTS: "string",
  ADDITIONAL_INFO: "string",
  LOCATION_ID: "string|null",
  CATEGORY_ID: "digits",
  STAGE_SEMANTIC_ID: "string",
  IS_NEW: "Y/N",
  IS_RECURRING: "Y/N",
  IS_RETURN_CUSTOMER: "Y/N",
  IS_REPEATED_APPROACH: "Y/N",
  SOURCE_ID: "string",
  SOURCE_DESCRIPTION: "string",
  ORIGINATOR_ID: "string|null",
  ORIGIN_ID: "string|null",
  MOVED_BY_ID: "digits",
  MOVED_TIME: "datetime",
  LAST_ACTIVITY_TIME: "datetime",
  UTM_SOURCE: "string",
  UTM_MEDIUM: "string",
  UTM_CAMPAIGN: "string|null",
  UTM_CONTENT: "string|null",
  UTM_TERM: "string|null",
  // The example portal's relation to a smart process and its user field; setup writes both.
  PARENT_ID_1220: "digits",
  LAST_ACTIVITY_BY: "digits",
  UF_CRM_1721244482250: "string",
};

export const dealPages: MethodPage[] = [
  {
    method: "crm.deal.add",
    page: "api-reference/crm/deals/crm-deal-add.md",
    scope: "crm",
    parameters: [{ name: "fields" }, { name: "params" }],
    async setup(ctx) {
      const company = await made(ctx, "crm.company.add", { fields: { TITLE: "Example company" } });
      const first = await made(ctx, "crm.contact.add", { fields: { NAME: "First" } });
      const second = await made(ctx, "crm.contact.add", { fields: { NAME: "Second" } });
      Object.assign(ctx.vars, { company, contacts: [first, second] });
      await denyType(ctx, DEAL);
    },
    calls: [
      {
        params: (ctx) => ({
          fields: {
            TITLE: "New Deal #1",
            TYPE_ID: "COMPLEX",
            CATEGORY_ID: 0,
            STAGE_ID: "PREPARATION",
            IS_RECURRING: "N",
            IS_RETURN_CUSTOMER: "Y",
            IS_REPEATED_APPROACH: "Y",
            PROBABILITY: 99,
            CURRENCY_ID: "EUR",
            OPPORTUNITY: 1000000,
            IS_MANUAL_OPPORTUNITY: "Y",
            TAX_VALUE: 0.1,
            COMPANY_ID: ctx.vars.company,
            CONTACT_IDS: ctx.vars.contacts,
            BEGINDATE: "2024-08-30T12:19:57+02:00",
            CLOSEDATE: "2024-09-09T12:19:57+02:00",
            OPENED: "Y",
            CLOSED: "N",
            COMMENTS: "Example comment",
            SOURCE_ID: "CALLBACK",
            SOURCE_DESCRIPTION: "Additional information about the source",
            ADDITIONAL_INFO: "Additional information",
            UTM_SOURCE: "google",
            UTM_MEDIUM: "CPC",
            PARENT_ID_1220: 22,
            UF_CRM_1721244482250: "Hello World!",
          },
          params: { REGISTER_SONET_EVENT: "N" },
        }),
        // The new deal's id, as a number.
        result: "number",
      },
    ],
    errors: [
      {
        when: "fields is not an object",
        status: 400,
        error: "",
        description: "Parameter 'fields' must be array",
        params: { fields: "TITLE" },
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        description: "Parameter 'params' must be array",
        params: { fields: { TITLE: "x" }, params: "N" },
      },
      {
        when: "the user may not add deals",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: { fields: { TITLE: "x" } },
      },
      // Not provoked: "Disk resource exhausted" (the portal's disk quota) and an invalid "Currency"
      // (the portal's currency directory) — the emulator models neither.
    ],
  },
  {
    method: "crm.deal.get",
    page: "api-reference/crm/deals/crm-deal-get.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await exampleDeal(ctx);
      await denyType(ctx, DEAL);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: DEAL_RECORD }],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: "abc" },
      },
      {
        when: "the user may not read the deal",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id }),
      },
      {
        when: "no deal has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.deal.list",
    page: "api-reference/crm/deals/crm-deal-list.md",
    scope: "crm",
    parameters: [{ name: "select" }, { name: "filter" }, { name: "order" }, { name: "start" }],
    async setup(ctx) {
      // Deals that match the example's filter (title ending in "a", pipeline 1, COMPLEX, 10 000 < amount ≤ 20 000)
      // and one that does not.
      for (const [title, amount] of [
        ["[A] Deal Alpha", 19999.99],
        ["[A] Deal Beta", 20000],
        ["[B] Sale Gamma", 12500],
        ["[B] Deal Delta", 13500],
        ["[V] Deal Omega", 9000],
      ] as const) {
        await made(ctx, "crm.deal.add", {
          fields: {
            TITLE: title,
            CATEGORY_ID: 1,
            TYPE_ID: "COMPLEX",
            STAGE_ID: "C1:NEW",
            OPPORTUNITY: amount,
            IS_MANUAL_OPPORTUNITY: "Y",
          },
        });
      }
      ctx.vars.example = await exampleDeal(ctx);
      await denyType(ctx, DEAL);
    },
    calls: [
      {
        params: {
          select: [
            "ID",
            "TITLE",
            "TYPE_ID",
            "CATEGORY_ID",
            "STAGE_ID",
            "OPPORTUNITY",
            "IS_MANUAL_OPPORTUNITY",
            "ASSIGNED_BY_ID",
            "DATE_CREATE",
          ],
          filter: {
            "=%TITLE": "%a",
            CATEGORY_ID: 1,
            TYPE_ID: "COMPLEX",
            STAGE_ID: "C1:NEW",
            ">OPPORTUNITY": 10000,
            "<=OPPORTUNITY": 20000,
            IS_MANUAL_OPPORTUNITY: "Y",
            "@ASSIGNED_BY_ID": [1, 6],
            ">DATE_CREATE": "2000-01-01",
          },
          order: { TITLE: "ASC", OPPORTUNITY: "ASC" },
        },
        result: [
          {
            ID: "digits",
            TITLE: "string",
            TYPE_ID: "string",
            CATEGORY_ID: "digits",
            STAGE_ID: "string",
            OPPORTUNITY: "string",
            IS_MANUAL_OPPORTUNITY: "Y/N",
            ASSIGNED_BY_ID: "digits",
            DATE_CREATE: "datetime",
          },
        ],
        envelope: { total: "number" },
      },
      {
        // The page: without select, every field of crm.deal.get's deal ('*') and the user fields ('UF_*').
        title: "without select",
        params: (ctx) => ({ filter: { ID: ctx.vars.example } }),
        result: [DEAL_RECORD],
        envelope: { total: "number" },
      },
    ],
    errors: [
      {
        when: "the user may not read deals",
        status: 400,
        error: "",
        description: "Access denied.",
        as: RESTRICTED,
        params: {},
      },
      {
        when: "order is not an object",
        status: 400,
        error: "",
        description: "Parameter 'order' must be array.",
        params: { order: "TITLE" },
      },
      {
        when: "filter is not an object",
        status: 400,
        error: "",
        description: "Parameter 'filter' must be array.",
        params: { filter: "TITLE" },
      },
      // Not provoked: "Failed to get list. General error." (an unknown database failure).
    ],
  },
  {
    method: "crm.deal.update",
    page: "api-reference/crm/deals/crm-deal-update.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }, { name: "fields" }, { name: "params" }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.deal.add", { fields: { TITLE: "Old title" } });
      await denyType(ctx, DEAL);
    },
    calls: [
      {
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: {
            TITLE: "New Deal Title!",
            TYPE_ID: "GOODS",
            STAGE_ID: "WON",
            IS_RECCURING: "Y",
            IS_RETURN_CUSTOMER: "Y",
            OPPORTUNITY: 9999.99,
            IS_MANUAL_OPPORTUNITY: "Y",
            ASSIGNED_BY_ID: 1,
            UF_CRM_1725365197310: "String",
            PARENT_ID_1032: 1,
          },
          params: { REGISTER_SONET_EVENT: "N", REGISTER_HISTORY_EVENT: "N" },
        }),
        result: "boolean",
      },
    ],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: -5, fields: { TITLE: "x" } },
      },
      {
        when: "no deal has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID, fields: { TITLE: "x" } },
      },
      {
        when: "fields is not an object",
        status: 400,
        error: "",
        description: "Parameter 'fields' must be array",
        params: (ctx) => ({ id: ctx.vars.id, fields: "TITLE" }),
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        description: "Parameter 'params' must be array",
        params: (ctx) => ({ id: ctx.vars.id, fields: { TITLE: "x" }, params: "Y" }),
      },
      {
        when: "the user may not edit deals",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id, fields: { TITLE: "x" } }),
      },
      // Not provoked: disk quota and currency directory errors (not modelled).
    ],
  },
  {
    method: "crm.deal.delete",
    page: "api-reference/crm/deals/crm-deal-delete.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.deal.add", { fields: { TITLE: "To delete" } });
      ctx.vars.kept = await made(ctx, "crm.deal.add", { fields: { TITLE: "Kept" } });
      await denyType(ctx, DEAL);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: "boolean" }],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: 0 },
      },
      {
        when: "the user may not delete deals",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.kept }),
      },
      {
        when: "no deal has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.deal.fields",
    page: "api-reference/crm/deals/crm-deal-fields.md",
    scope: "crm",
    parameters: [],
    calls: [
      {
        params: {},
        result: fields(
          `ID TITLE TYPE_ID CATEGORY_ID STAGE_ID STAGE_SEMANTIC_ID IS_NEW IS_RECURRING IS_RETURN_CUSTOMER
           IS_REPEATED_APPROACH PROBABILITY CURRENCY_ID OPPORTUNITY IS_MANUAL_OPPORTUNITY TAX_VALUE COMPANY_ID
           CONTACT_ID CONTACT_IDS QUOTE_ID BEGINDATE CLOSEDATE OPENED CLOSED COMMENTS ASSIGNED_BY_ID
           CREATED_BY_ID MODIFY_BY_ID MOVED_BY_ID DATE_CREATE DATE_MODIFY MOVED_TIME SOURCE_ID
           SOURCE_DESCRIPTION LEAD_ID ADDITIONAL_INFO LOCATION_ID ORIGINATOR_ID ORIGIN_ID UTM_SOURCE UTM_MEDIUM
           UTM_CAMPAIGN UTM_CONTENT UTM_TERM LAST_ACTIVITY_TIME LAST_ACTIVITY_BY`,
          {
            TYPE_ID: STATUS_FIELD,
            STAGE_ID: STATUS_FIELD,
            SOURCE_ID: STATUS_FIELD,
            COMPANY_ID: LINK_FIELD,
            QUOTE_ID: LINK_FIELD,
            LEAD_ID: LINK_FIELD,
            CONTACT_ID: DEPRECATED_FIELD,
          },
        ),
      },
    ],
    // The page: "does not return errors".
  },
];
