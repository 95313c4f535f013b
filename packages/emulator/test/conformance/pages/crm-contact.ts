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

/** crm.contact.* (api-reference/crm/contacts/). Contacts are entity type 3. */

const CONTACT = 3;

/** crm-contact-add.md's example contact, linked to companies made first. */
async function exampleContact(ctx: PageContext): Promise<number> {
  const companies: number[] = [];
  for (const title of ["First", "Second", "Third"]) {
    companies.push(await made(ctx, "crm.company.add", { fields: { TITLE: title } }));
  }
  ctx.vars.companies = companies;
  return made(ctx, "crm.contact.add", { fields: exampleFields(companies) });
}

function exampleFields(companies: unknown): Record<string, unknown> {
  const ids = Array.isArray(companies) ? companies : [];
  return {
    HONORIFIC: "HNR_RU_1",
    NAME: "John",
    SECOND_NAME: "Doe",
    LAST_NAME: "Smith",
    BIRTHDATE: "11.11.2001",
    TYPE_ID: "PARTNER",
    SOURCE_ID: "WEB",
    SOURCE_DESCRIPTION: "*Additional information about the source*",
    POST: "Administrator",
    COMMENTS: "A comment",
    OPENED: "Y",
    EXPORT: "N",
    ASSIGNED_BY_ID: 1,
    COMPANY_ID: ids[0],
    COMPANY_IDS: ids,
    UTM_SOURCE: "google",
    UTM_MEDIUM: "CPC",
    UTM_CAMPAIGN: "summer_sale",
    UTM_CONTENT: "header_banner",
    UTM_TERM: "discount",
    PHONE: [
      { VALUE: "+1333333555", VALUE_TYPE: "WORK" },
      { VALUE: "+15599888666", VALUE_TYPE: "HOME" },
    ],
    EMAIL: [
      { VALUE: "john.smith@example.mailing", VALUE_TYPE: "MAILING" },
      { VALUE: "john.smith@example.work", VALUE_TYPE: "WORK" },
    ],
    UF_CRM_1720697698689: 'Example value of a custom field with type "String"',
    PARENT_ID_1224: 12,
  };
}

/**
 * crm-contact-get.md's example contact. Its table and example carry FACE_ID, which
 * crm-contact-fields.md does not list, and lack ADDRESS_COUNTRY_CODE, which it does.
 */
const CONTACT_RECORD: Record<string, Shape> = {
  ID: "digits",
  POST: "string",
  COMMENTS: "string",
  HONORIFIC: "string",
  NAME: "string",
  SECOND_NAME: "string",
  LAST_NAME: "string",
  // A file field: empty in the example (a set one is an object with the file's links).
  PHOTO: "object|null",
  LEAD_ID: "digits|null",
  TYPE_ID: "string",
  SOURCE_ID: "string",
  SOURCE_DESCRIPTION: "string",
  COMPANY_ID: "digits",
  BIRTHDATE: "datetime",
  EXPORT: "Y/N",
  HAS_PHONE: "Y/N",
  HAS_EMAIL: "Y/N",
  HAS_IMOL: "Y/N",
  DATE_CREATE: "datetime",
  DATE_MODIFY: "datetime",
  ASSIGNED_BY_ID: "digits",
  CREATED_BY_ID: "digits",
  MODIFY_BY_ID: "digits",
  OPENED: "Y/N",
  ORIGINATOR_ID: "string|null",
  ORIGIN_ID: "string|null",
  ORIGIN_VERSION: "string|null",
  FACE_ID: "digits|null",
  LAST_ACTIVITY_TIME: "datetime",
  ...keys(
    "ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE ADDRESS_REGION ADDRESS_PROVINCE ADDRESS_COUNTRY",
    "string|null",
  ),
  ADDRESS_LOC_ADDR_ID: "digits|null",
  ...keys("UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM", "string"),
  // The example portal's relation to a smart process and its user field; setup writes both.
  PARENT_ID_1224: "digits",
  LAST_ACTIVITY_BY: "digits",
  UF_CRM_1720697698689: "string",
  PHONE: [MULTI_ENTRY],
  EMAIL: [MULTI_ENTRY],
};

export const contactPages: MethodPage[] = [
  {
    method: "crm.contact.add",
    page: "api-reference/crm/contacts/crm-contact-add.md",
    scope: "crm",
    parameters: [{ name: "fields" }, { name: "params" }],
    async setup(ctx) {
      const companies: number[] = [];
      for (const title of ["First", "Second", "Third"]) {
        companies.push(await made(ctx, "crm.company.add", { fields: { TITLE: title } }));
      }
      ctx.vars.companies = companies;
      await denyType(ctx, CONTACT);
    },
    calls: [{ params: (ctx) => ({ fields: exampleFields(ctx.vars.companies) }), result: "number" }],
    errors: [
      {
        when: "fields is not an object",
        status: 400,
        error: "",
        description: "Parameter 'fields' must be array",
        params: { fields: 5 },
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        description: "Parameter 'params' must be array",
        params: { fields: { NAME: "x" }, params: "IMPORT" },
      },
      {
        when: "the user may not add contacts",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: { fields: { NAME: "x" } },
      },
      {
        when: "an e-mail is not an address",
        status: 400,
        error: "ERROR_CORE",
        description: "contains an invalid address",
        params: { fields: { NAME: "x", EMAIL: [{ VALUE: "not an address", VALUE_TYPE: "WORK" }] } },
      },
      // Not provoked: "Disk resource exhausted" (the portal's disk quota).
    ],
  },
  {
    method: "crm.contact.get",
    page: "api-reference/crm/contacts/crm-contact-get.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await exampleContact(ctx);
      await denyType(ctx, CONTACT);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: CONTACT_RECORD }],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: -1 },
      },
      {
        when: "the user may not read the contact",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id }),
      },
      {
        when: "no contact has the id",
        status: 400,
        error: "",
        description: "Not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.contact.list",
    page: "api-reference/crm/contacts/crm-contact-list.md",
    scope: "crm",
    parameters: [{ name: "select" }, { name: "filter" }, { name: "order" }, { name: "start" }],
    async setup(ctx) {
      // Contacts the example's filter finds (names and last names starting with "I", from a CRM form,
      // with its e-mail) and one it does not.
      for (const [name, last] of [
        ["Ivan", "Petrov"],
        ["Inna", "Ilyina"],
        ["Igor", "Isaev"],
        ["Anna", "Ivanova"],
      ]) {
        await made(ctx, "crm.contact.add", {
          fields: {
            NAME: name,
            LAST_NAME: last,
            SOURCE_ID: "CRM_FORM",
            EMAIL: [{ VALUE: "special-for@example.com", VALUE_TYPE: "WORK" }],
          },
        });
      }
      ctx.vars.example = await exampleContact(ctx);
      await denyType(ctx, CONTACT);
    },
    calls: [
      {
        params: {
          filter: {
            SOURCE_ID: "CRM_FORM",
            "!=NAME": "",
            "!=LAST_NAME": "",
            "=%NAME": "I%",
            "=%LAST_NAME": "I%",
            EMAIL: "special-for@example.com",
            "@ASSIGNED_BY_ID": [1, 6],
            IMPORT: "Y",
            ">=DATE_CREATE": "2000-01-01",
          },
          order: { LAST_NAME: "ASC", NAME: "ASC" },
          select: ["ID", "NAME", "LAST_NAME", "EMAIL", "EXPORT", "ASSIGNED_BY_ID", "DATE_CREATE"],
        },
        result: [
          {
            ID: "digits",
            NAME: "string",
            LAST_NAME: "string",
            EXPORT: "Y/N",
            ASSIGNED_BY_ID: "digits",
            DATE_CREATE: "datetime",
            EMAIL: [MULTI_ENTRY],
          },
        ],
        envelope: { total: "number" },
      },
      {
        // The page: without select, every field ('*') and the user fields ('UF_*'); multi-fields only by name.
        title: "without select",
        params: (ctx) => ({ filter: { ID: ctx.vars.example } }),
        result: [
          Object.fromEntries(Object.entries(CONTACT_RECORD).filter(([k]) => k !== "PHONE" && k !== "EMAIL")),
        ],
        envelope: { total: "number" },
      },
    ],
    errors: [
      {
        when: "the user may not read contacts",
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
        params: { order: "NAME" },
      },
      {
        when: "filter is not an array",
        status: 400,
        error: "",
        description: "Parameter 'filter' must be array",
        params: { filter: 7 },
      },
      // Not provoked: "Failed to get list. General error" (an unknown database failure).
    ],
  },
  {
    method: "crm.contact.update",
    page: "api-reference/crm/contacts/crm-contact-update.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }, { name: "fields", required: true }, { name: "params" }],
    async setup(ctx) {
      ctx.vars.id = await exampleContact(ctx);
      await denyType(ctx, CONTACT);
    },
    calls: [
      {
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: {
            NAME: "John",
            BIRTHDATE: "11.11.1999",
            TYPE_ID: "RECOMMENDATION",
            SOURCE_ID: "WEB",
            POST: "Network Administrator",
            COMMENTS: "New comment",
            OPENED: "N",
            EXPORT: "Y",
            ASSIGNED_BY_ID: 1,
            COMPANY_ID: (ctx.vars.companies as number[])[0],
            COMPANY_IDS: (ctx.vars.companies as number[]).slice(1),
            UF_CRM_1720697698689: 'Example of a new value for a custom field of type "String"',
            PARENT_ID_1224: 14,
          },
          params: { REGISTER_SONET_EVENT: "N", REGISTER_HISTORY_EVENT: "N" },
        }),
        result: "boolean",
      },
    ],
    errors: [
      {
        when: "fields is not an object",
        status: 400,
        error: "",
        description: "Parameter 'fields' must be array",
        params: (ctx) => ({ id: ctx.vars.id, fields: "NAME" }),
      },
      {
        when: "params is not an object",
        status: 400,
        error: "",
        description: "Parameter 'params' must be array",
        params: (ctx) => ({ id: ctx.vars.id, fields: { NAME: "x" }, params: 1 }),
      },
      {
        when: "the user may not edit contacts",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.id, fields: { NAME: "x" } }),
      },
      {
        when: "an e-mail is not an address",
        status: 400,
        error: "ERROR_CORE",
        description: "contains an invalid address",
        params: (ctx) => ({ id: ctx.vars.id, fields: { EMAIL: [{ VALUE: "john@", VALUE_TYPE: "WORK" }] } }),
      },
      {
        // The page's error example.
        when: "no contact has the id",
        status: 400,
        error: "",
        description: "Contact is not found",
        params: { id: MISSING_ID, fields: { NAME: "x" } },
      },
      // Not provoked: "Disk resource exhausted" (the portal's disk quota).
    ],
  },
  {
    method: "crm.contact.delete",
    page: "api-reference/crm/contacts/crm-contact-delete.md",
    scope: "crm",
    parameters: [{ name: "id", required: true }],
    async setup(ctx) {
      ctx.vars.id = await made(ctx, "crm.contact.add", { fields: { NAME: "To delete" } });
      ctx.vars.kept = await made(ctx, "crm.contact.add", { fields: { NAME: "Kept" } });
      await denyType(ctx, CONTACT);
    },
    calls: [{ params: (ctx) => ({ id: ctx.vars.id }), result: "boolean" }],
    errors: [
      {
        when: "id is not a positive integer",
        status: 400,
        error: "",
        description: "ID is not defined or invalid",
        params: { id: "two" },
      },
      {
        when: "the user may not delete the contact",
        status: 400,
        error: "",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ id: ctx.vars.kept }),
      },
      {
        when: "no contact has the id",
        status: 400,
        error: "ERROR_CORE",
        description: "Element not found",
        params: { id: MISSING_ID },
      },
    ],
  },
  {
    method: "crm.contact.fields",
    page: "api-reference/crm/contacts/crm-contact-fields.md",
    scope: "crm",
    parameters: [],
    calls: [
      {
        params: {},
        result: fields(
          `ID HONORIFIC NAME SECOND_NAME LAST_NAME PHOTO BIRTHDATE TYPE_ID SOURCE_ID SOURCE_DESCRIPTION POST
           ADDRESS ADDRESS_2 ADDRESS_CITY ADDRESS_POSTAL_CODE ADDRESS_REGION ADDRESS_PROVINCE ADDRESS_COUNTRY
           ADDRESS_COUNTRY_CODE ADDRESS_LOC_ADDR_ID COMMENTS OPENED EXPORT HAS_PHONE HAS_EMAIL HAS_IMOL
           ASSIGNED_BY_ID CREATED_BY_ID MODIFY_BY_ID DATE_CREATE DATE_MODIFY COMPANY_ID COMPANY_IDS LEAD_ID
           ORIGINATOR_ID ORIGIN_ID ORIGIN_VERSION UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM
           LAST_ACTIVITY_TIME LAST_ACTIVITY_BY PHONE EMAIL WEB IM LINK`,
          {
            HONORIFIC: STATUS_FIELD,
            TYPE_ID: STATUS_FIELD,
            SOURCE_ID: STATUS_FIELD,
            COMPANY_ID: DEPRECATED_FIELD,
            LEAD_ID: LINK_FIELD,
          },
        ),
      },
    ],
  },
];
