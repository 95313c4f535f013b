import type { MethodPage, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";
import {
  DEPRECATED_FIELD,
  denyType,
  fields,
  keys,
  LINK_FIELD,
  MISSING_ID,
  MULTI_ENTRY,
  made,
  RESTRICTED,
  STATUS_FIELD,
} from "./crm-common.js";

/** crm.lead.* (api-reference/crm/leads/). Leads are entity type 1. */

const LEAD = 1;

/** The lead fields every record shows (crm-lead-get.md's example, multi-fields aside). */
const LEAD_SCALARS: Record<string, Shape> = {
  ID: "digits",
  TITLE: "string",
  HONORIFIC: "string|null",
  NAME: "string",
  SECOND_NAME: "string|null",
  LAST_NAME: "string|null",
  COMPANY_TITLE: "string|null",
  COMPANY_ID: "digits|null",
  CONTACT_ID: "digits|null",
  IS_RETURN_CUSTOMER: "Y/N",
  // An unset date prints as "" (BIRTHDATE and DATE_CLOSED in the example).
  BIRTHDATE: "string",
  SOURCE_ID: "string",
  SOURCE_DESCRIPTION: "string|null",
  STATUS_ID: "string",
  STATUS_DESCRIPTION: "string|null",
  POST: "string|null",
  COMMENTS: "string|null",
  CURRENCY_ID: "string",
  OPPORTUNITY: "string",
  IS_MANUAL_OPPORTUNITY: "Y/N",
  HAS_PHONE: "Y/N",
  HAS_EMAIL: "Y/N",
  HAS_IMOL: "Y/N",
  ASSIGNED_BY_ID: "digits",
  CREATED_BY_ID: "digits",
  MODIFY_BY_ID: "digits",
  DATE_CREATE: "datetime",
  DATE_MODIFY: "datetime",
  DATE_CLOSED: "string",
  STATUS_SEMANTIC_ID: "string",
  OPENED: "Y/N",
  ORIGINATOR_ID: "string|null",
  ORIGIN_ID: "string|null",
  MOVED_BY_ID: "digits",
  MOVED_TIME: "datetime",
  ...keys(
    `ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE ADDRESS_REGION ADDRESS_PROVINCE ADDRESS_COUNTRY
     ADDRESS_COUNTRY_CODE`,
    "string|null",
  ),
  ADDRESS_LOC_ADDR_ID: "digits|null",
  ...keys("UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM", "string|null"),
  LAST_ACTIVITY_BY: "digits",
  LAST_ACTIVITY_TIME: "datetime",
};

/** crm-lead-list.md's example rows: a converted lead linked to a contact, with three user fields. */
const LISTED_LEAD: Record<string, Shape> = {
  ...LEAD_SCALARS,
  LAST_NAME: "string",
  COMPANY_ID: "digits",
  CONTACT_ID: "digits",
  DATE_CLOSED: "datetime",
  ADDRESS: "string",
  ADDRESS_COUNTRY: "string",
  ADDRESS_LOC_ADDR_ID: "digits",
  UF_CRM_1704817278: "null",
  UF_CRM_1706782596092: "null",
  UF_CRM_1708952993785: "boolean",
};

async function convertedLeads(ctx: PageContext, count: number): Promise<void> {
  const company = await made(ctx, "crm.company.add", { fields: { TITLE: "Lead's company" } });
  const contact = await made(ctx, "crm.contact.add", { fields: { NAME: "Erasmus" } });
  for (let i = 0; i < count; i++) {
    await made(ctx, "crm.lead.add", {
      fields: {
        TITLE: `Lead ${i + 1}`,
        NAME: "Erasmus",
        LAST_NAME: "Golden",
        COMPANY_ID: company,
        CONTACT_ID: contact,
        SOURCE_ID: "CALL",
        STATUS_ID: "CONVERTED",
        OPPORTUNITY: 15000,
        IS_MANUAL_OPPORTUNITY: "Y",
        ADDRESS: "7677 Hollow Ridge Alley",
        ADDRESS_COUNTRY: "Indonesia",
        ADDRESS_LOC_ADDR_ID: 1,
        PHONE: [{ VALUE: "+15550100", VALUE_TYPE: "WORK" }],
        EMAIL: [{ VALUE: "lead@example.com", VALUE_TYPE: "WORK" }],
        UF_CRM_1704817278: null,
        UF_CRM_1706782596092: null,
        UF_CRM_1708952993785: i % 2 === 1,
      },
    });
  }
}

export const leadPages: MethodPage[] = [
  {
    method: "crm.lead.add",
    page: "api-reference/crm/leads/crm-lead-add.md",
    scope: "crm",
    parameters: [{ name: "fields" }, { name: "params" }],
    setup: (ctx) => denyType(ctx, LEAD),
    calls: [
      {
        params: {
          fields: {
            TITLE: "IP Titov",
            NAME: "Gleb",
            SECOND_NAME: "Egorovich",
            LAST_NAME: "Titov",
            STATUS_ID: "NEW",
            OPENED: "Y",
            ASSIGNED_BY_ID: 1,
            CURRENCY_ID: "USD",
            OPPORTUNITY: 12500,
            PHONE: [{ VALUE: "555888", VALUE_TYPE: "WORK" }],
            WEB: [{ VALUE: "www.mysite.com", VALUE_TYPE: "WORK" }],
          },
          params: { REGISTER_SONET_EVENT: "Y" },
        },
        result: "number",
      },
    ],
    errors: [
      {
        when: "the user may not add leads",
        status: 400,
        error: "",
        description: "Access denied.",
        as: RESTRICTED,
        params: { fields: { TITLE: "x" } },
      },
    ],
  },
  {
    method: "crm.lead.get",
    page: "api-reference/crm/leads/crm-lead-get.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.lead.add", {
        fields: {
          TITLE: "Lead #1591",
          NAME: "",
          SOURCE_ID: "CALL",
          STATUS_ID: "IN_PROCESS",
          CURRENCY_ID: "EUR",
          PHONE: [{ VALUE: "+15454777777", VALUE_TYPE: "OTHER" }],
          IM: [{ VALUE: "imol|livechat|1|67|21", VALUE_TYPE: "OPENLINE" }],
        },
      });
      await denyType(ctx, LEAD);
    },
    calls: [
      {
        params: (ctx) => ({ id: ctx.vars.id }),
        result: { ...LEAD_SCALARS, PHONE: [MULTI_ENTRY], IM: [MULTI_ENTRY] },
      },
    ],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: "x" },
      },
      {
        when: "no lead has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
      {
        when: "the user may not read the lead",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id }),
      },
    ],
  },
  {
    method: "crm.lead.list",
    page: "api-reference/crm/leads/crm-lead-list.md",
    scope: "crm",
    parameters: [{ name: "select" }, { name: "filter" }, { name: "order" }, { name: "start" }],
    async setup(ctx) {
      // More than two pages of leads the example's filter finds, so its second page has a `next`.
      await convertedLeads(ctx, 110);
      await made(ctx, "crm.lead.add", { fields: { TITLE: "Other amount", OPPORTUNITY: 100 } });
      await denyType(ctx, LEAD);
    },
    calls: [
      {
        params: {
          select: ["*", "UF_*"],
          start: 50,
          filter: { "=OPPORTUNITY": 15000 },
          order: { STATUS_ID: "ASC" },
        },
        result: [LISTED_LEAD],
        envelope: { next: "number", total: "number" },
      },
    ],
    errors: [
      {
        when: "the user may not read leads",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: {},
      },
    ],
  },
  {
    method: "crm.lead.update",
    page: "api-reference/crm/leads/crm-lead-update.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }, { name: "fields" }, { name: "params" }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.lead.add", { fields: { TITLE: "Before" } });
      await denyType(ctx, LEAD);
    },
    calls: [
      {
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: {
            TITLE: "IP Titov",
            NAME: "Gleb",
            SECOND_NAME: "Yegorovich",
            LAST_NAME: "Titov",
            STATUS_ID: "NEW",
            OPENED: "Y",
            ASSIGNED_BY_ID: 1,
            CURRENCY_ID: "USD",
            OPPORTUNITY: 12500,
            PHONE: [{ VALUE: "555888", VALUE_TYPE: "WORK" }],
            WEB: [{ VALUE: "www.mysite.com", VALUE_TYPE: "WORK" }],
          },
          params: { REGISTER_SONET_EVENT: "Y" },
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
        params: { id: "1.5", fields: { TITLE: "x" } },
      },
      {
        when: "no lead has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID, fields: { TITLE: "x" } },
      },
      {
        when: "the user may not edit the lead",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id, fields: { TITLE: "x" } }),
      },
    ],
  },
  {
    method: "crm.lead.delete",
    page: "api-reference/crm/leads/crm-lead-delete.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.lead.add", { fields: { TITLE: "To delete" } });
      ctx.vars.kept = await made(ctx, "crm.lead.add", { fields: { TITLE: "Kept" } });
      await denyType(ctx, LEAD);
    },
    // The example sends the id as a string.
    calls: [{ params: (ctx) => ({ id: String(ctx.vars.id) }), result: "boolean" }],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: "" },
      },
      {
        when: "the user may not delete leads",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.kept }),
      },
      {
        when: "no lead has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.lead.fields",
    page: "api-reference/crm/leads/crm-lead-fields.md",
    scope: "crm",
    parameters: [],
    calls: [
      {
        params: {},
        result: fields(
          `ID TITLE HONORIFIC NAME SECOND_NAME LAST_NAME BIRTHDATE COMPANY_TITLE SOURCE_ID SOURCE_DESCRIPTION
           STATUS_ID STATUS_DESCRIPTION STATUS_SEMANTIC_ID POST ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE
           ADDRESS_REGION ADDRESS_PROVINCE ADDRESS_COUNTRY ADDRESS_COUNTRY_CODE ADDRESS_LOC_ADDR_ID CURRENCY_ID
           OPPORTUNITY IS_MANUAL_OPPORTUNITY OPENED COMMENTS HAS_PHONE HAS_EMAIL HAS_IMOL ASSIGNED_BY_ID
           CREATED_BY_ID MODIFY_BY_ID MOVED_BY_ID DATE_CREATE DATE_MODIFY MOVED_TIME COMPANY_ID CONTACT_ID
           CONTACT_IDS IS_RETURN_CUSTOMER DATE_CLOSED ORIGINATOR_ID ORIGIN_ID UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN
           UTM_CONTENT UTM_TERM LAST_ACTIVITY_TIME LAST_ACTIVITY_BY PHONE EMAIL WEB IM LINK`,
          {
            HONORIFIC: STATUS_FIELD,
            SOURCE_ID: STATUS_FIELD,
            STATUS_ID: STATUS_FIELD,
            COMPANY_ID: LINK_FIELD,
            CONTACT_ID: DEPRECATED_FIELD,
          },
        ),
      },
    ],
    // The page: "Does not return errors".
  },
];
