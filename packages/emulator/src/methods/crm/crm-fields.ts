/**
 * How a CRM field is described: its type and flags as crm.<entity>.fields and
 * crm.item.fields report them (`crm_rest_field_description`, api-reference/crm/data-types.md),
 * plus what the emulator needs to store, show and convert it. Field tables live
 * in crm-<entity>-fields.ts; this file holds their shared vocabulary.
 */

export type FieldType =
  | "integer"
  | "double"
  | "string"
  | "text"
  | "char"
  | "boolean"
  | "date"
  | "datetime"
  | "user"
  | "file"
  | "location"
  | "crm_status"
  | "crm_currency"
  | "crm_category"
  | "crm_lead"
  | "crm_company"
  | "crm_contact"
  | "crm_quote"
  | "crm_entity"
  | "crm_multifield";

export interface FieldSpec {
  type: FieldType;
  title: string;
  required?: boolean;
  /** Reported as read-only; set by the portal, ignored on input (see itemWritable). */
  readOnly?: boolean;
  /** Read-only for crm.<entity>.*, yet settable through crm.item.add/update (leadId, quoteId per crm-item-add.md). */
  itemWritable?: boolean;
  /** Settable on add only (CATEGORY_ID). */
  immutable?: boolean;
  multiple?: boolean;
  /** `isDeprecated: true` in the field description (CONTACT_ID of deals and leads). */
  deprecated?: boolean;
  /** crm.status ENTITY_ID of a crm_status field. */
  statusType?: string;
  /** The description's `settings` (`{parentEntityTypeId: 4}` for company links). */
  settings?: Record<string, unknown>;
  /** crm.item name when the generic snake→camel rule does not give it. */
  camel?: string;
  /** Left out of crm.<entity>.fields although records carry it (contact FACE_ID, observers). */
  unlisted?: boolean;
  /** Listed by crm.<entity>.fields but absent from crm.<entity>.get/list records (CONTACT_IDS). */
  hidden?: boolean;
  /** Printed as PHP prints a float ("0", "1500000.5") instead of a two-decimal amount. */
  plainNumber?: boolean;
  /** crm.item prints an empty link as 0 (companyId/contactId of leads and deals in crm-item-get.md). */
  itemZero?: boolean;
  /** Listed by crm.item.fields only; not part of the item record (smart processes' `contacts`). */
  itemFieldOnly?: boolean;
}

export type FieldTable = Record<string, FieldSpec>;

export const f = (
  type: FieldType,
  title: string,
  extra: Omit<FieldSpec, "type" | "title"> = {},
): FieldSpec => ({
  type,
  title,
  ...extra,
});

export const RO = { readOnly: true } as const;

/** `settings` of a link to another entity type (crm-deal-fields.md: COMPANY_ID, LEAD_ID, QUOTE_ID). */
export const parent = (entityTypeId: number) => ({ settings: { parentEntityTypeId: entityTypeId } });

/** Multi-fields (`[{ID, VALUE_TYPE, VALUE, TYPE_ID}]`) of leads, contacts and companies. */
export const MULTI_FIELDS: FieldTable = {
  PHONE: f("crm_multifield", "Phone", { multiple: true }),
  EMAIL: f("crm_multifield", "E-mail", { multiple: true }),
  WEB: f("crm_multifield", "Website", { multiple: true }),
  IM: f("crm_multifield", "Messenger", { multiple: true }),
  LINK: f("crm_multifield", "LINK", { multiple: true }),
};

/** Observers: set and read through crm.item only (crm-item-add.md `observers`). */
export const OBSERVERS: FieldTable = {
  OBSERVERS: f("user", "Observers", { multiple: true, unlisted: true, hidden: true }),
};

/** UTM marks, shared by leads, deals, contacts and companies (titles as each fields page gives them). */
export function utmFields(termTitle: string): FieldTable {
  return {
    UTM_SOURCE: f("string", "Advertising System"),
    UTM_MEDIUM: f("string", "Traffic Type"),
    UTM_CAMPAIGN: f("string", "Campaign Identifier"),
    UTM_CONTENT: f("string", "Campaign Content"),
    UTM_TERM: f("string", termTitle),
  };
}

/** The legacy address block of leads, contacts and companies (deprecated in favour of requisites). */
export function addressFields(firstTitle: string, line2Title: string): FieldTable {
  return {
    ADDRESS: f("string", firstTitle),
    ADDRESS_2: f("string", line2Title),
    ADDRESS_CITY: f("string", "City"),
    ADDRESS_POSTAL_CODE: f("string", "Postal Code"),
    ADDRESS_REGION: f("string", "Region"),
    ADDRESS_PROVINCE: f("string", "Province"),
    ADDRESS_COUNTRY: f("string", "Country"),
    ADDRESS_COUNTRY_CODE: f("string", "Country Code"),
    ADDRESS_LOC_ADDR_ID: f("integer", "Location Address ID"),
  };
}

/** Types whose values are stored as integers (ids, users, links). */
export const INTEGER_TYPES = new Set<FieldType>([
  "integer",
  "user",
  "crm_category",
  "crm_lead",
  "crm_company",
  "crm_contact",
  "crm_quote",
  "crm_entity",
]);

/** Y/N flags: `char` for crm.<entity>.*, `boolean` in crm.item.fields. */
export const FLAG_TYPES = new Set<FieldType>(["char", "boolean"]);
