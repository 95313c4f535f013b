import type { Portal } from "../../state/portal.js";
import { camelToSnake, isUfName, snakeToCamel, ufFromCamel, ufToCamel } from "./crm-names.js";

/**
 * What a CRM entity type is: its table, its standard fields (UPPER_SNAKE, as
 * stored and as the legacy methods speak them), their crm.item camelCase names
 * and the metadata crm.<entity>.fields returns. Lead, deal, contact and company
 * are shared by crm.<entity>.* and crm.item.* (same table, so both APIs see the
 * same records); smart processes exist only through crm.item.*.
 */

export type FieldType =
  | "integer"
  | "double"
  | "string"
  | "char"
  | "date"
  | "datetime"
  | "user"
  | "crm_status"
  | "crm_currency"
  | "crm_category"
  | "crm_lead"
  | "crm_company"
  | "crm_contact"
  | "crm_multifield";

export interface FieldSpec {
  type: FieldType;
  title: string;
  required?: boolean;
  /** Set by the portal (ID, dates, authors): ignored on input. */
  readOnly?: boolean;
  /** Settable on add only (CATEGORY_ID). */
  immutable?: boolean;
  multiple?: boolean;
  /** crm.status ENTITY_ID of a crm_status field, as crm.<entity>.fields reports it. */
  statusType?: string;
  /** crm.item name when the generic snake→camel rule does not give it. */
  camel?: string;
}

export type LegacyCode = "lead" | "deal" | "contact" | "company";

export interface CrmEntity {
  entityTypeId: number;
  /** crm.<code>.* for the four legacy types; undefined for smart processes. */
  code?: LegacyCode;
  /** Used in default titles: "Deal #12" (crm.item.add docs). */
  typeName: string;
  table: string;
  /** Standard fields in the order the portal renders them. */
  fields: Record<string, FieldSpec>;
  /** Legacy list select default (and "*"): standard fields that are not multi-fields. */
  defaultSelect: string[];
  /** Multi-fields (PHONE, EMAIL, …) present on this type. */
  multiFields: string[];
  /** Stored key → crm.item key for standard fields. */
  toCamel: Map<string, string>;
  /** crm.item key → stored key for standard fields. */
  fromCamel: Map<string, string>;
  /** Name of the stage field (deal STAGE_ID, lead STATUS_ID), if any. */
  stageField?: string;
  /** Stage a new record gets in a category. */
  defaultStage?: (categoryId: number) => string;
  /** Category a new record gets when none is given. */
  defaultCategory?: number;
  /** Static values of a new record (dates, authors and stage are set by crm-records.ts). */
  defaults: Record<string, unknown>;
}

const f = (type: FieldType, title: string, extra: Omit<FieldSpec, "type" | "title"> = {}): FieldSpec => ({
  type,
  title,
  ...extra,
});

const RO = { readOnly: true };

/** Fields every type has: identity, authorship, timestamps (crm.item names per crm-item-get.md). */
const COMMON_HEAD: Record<string, FieldSpec> = { ID: f("integer", "ID", RO) };
const AUTHORSHIP: Record<string, FieldSpec> = {
  ASSIGNED_BY_ID: f("user", "Responsible person"),
  CREATED_BY_ID: f("user", "Created by", { ...RO, camel: "createdBy" }),
  MODIFY_BY_ID: f("user", "Modified by", { ...RO, camel: "updatedBy" }),
  DATE_CREATE: f("datetime", "Created on", { ...RO, camel: "createdTime" }),
  DATE_MODIFY: f("datetime", "Modified on", { ...RO, camel: "updatedTime" }),
};

/** Multi-field types the emulator stores: [{ID, VALUE, VALUE_TYPE, TYPE_ID}]. */
const MULTI: Record<string, FieldSpec> = {
  PHONE: f("crm_multifield", "Phone", { multiple: true }),
  EMAIL: f("crm_multifield", "E-mail", { multiple: true }),
  WEB: f("crm_multifield", "Website", { multiple: true }),
  IM: f("crm_multifield", "Messenger", { multiple: true }),
};
const HAS_MULTI: Record<string, FieldSpec> = {
  HAS_PHONE: f("char", "Has phone", RO),
  HAS_EMAIL: f("char", "Has email", RO),
};

const DEAL_FIELDS: Record<string, FieldSpec> = {
  ...COMMON_HEAD,
  TITLE: f("string", "Name"),
  TYPE_ID: f("crm_status", "Type", { statusType: "DEAL_TYPE" }),
  CATEGORY_ID: f("crm_category", "Pipeline", { immutable: true }),
  STAGE_ID: f("crm_status", "Stage", { statusType: "DEAL_STAGE" }),
  STAGE_SEMANTIC_ID: f("string", "Stage group", RO),
  PROBABILITY: f("integer", "Probability"),
  CURRENCY_ID: f("crm_currency", "Currency"),
  OPPORTUNITY: f("double", "Amount"),
  IS_MANUAL_OPPORTUNITY: f("char", "Manual amount calculation"),
  LEAD_ID: f("crm_lead", "Lead"),
  COMPANY_ID: f("crm_company", "Company"),
  CONTACT_ID: f("crm_contact", "Contact"),
  BEGINDATE: f("date", "Start date"),
  CLOSEDATE: f("date", "Estimated close date"),
  OPENED: f("char", "Available to everyone"),
  CLOSED: f("char", "Closed"),
  COMMENTS: f("string", "Comment"),
  SOURCE_ID: f("crm_status", "Source", { statusType: "SOURCE" }),
  SOURCE_DESCRIPTION: f("string", "Source information"),
  ...AUTHORSHIP,
};

const LEAD_FIELDS: Record<string, FieldSpec> = {
  ...COMMON_HEAD,
  TITLE: f("string", "Lead name"),
  NAME: f("string", "First name"),
  SECOND_NAME: f("string", "Second name"),
  LAST_NAME: f("string", "Last name"),
  COMPANY_TITLE: f("string", "Company name"),
  // crm.item calls the lead status "stageId" (crm-item-list.md examples filter leads by @stageId).
  STATUS_ID: f("crm_status", "Status", { statusType: "STATUS", camel: "stageId" }),
  STATUS_SEMANTIC_ID: f("string", "Status group", { ...RO, camel: "stageSemanticId" }),
  SOURCE_ID: f("crm_status", "Source", { statusType: "SOURCE" }),
  SOURCE_DESCRIPTION: f("string", "Source information"),
  CURRENCY_ID: f("crm_currency", "Currency"),
  OPPORTUNITY: f("double", "Amount"),
  IS_MANUAL_OPPORTUNITY: f("char", "Manual amount calculation"),
  COMPANY_ID: f("crm_company", "Company"),
  CONTACT_ID: f("crm_contact", "Contact"),
  POST: f("string", "Position"),
  OPENED: f("char", "Available to everyone"),
  COMMENTS: f("string", "Comment"),
  ...HAS_MULTI,
  ...AUTHORSHIP,
  ...MULTI,
};

const CONTACT_FIELDS: Record<string, FieldSpec> = {
  ...COMMON_HEAD,
  NAME: f("string", "First name"),
  SECOND_NAME: f("string", "Second name"),
  LAST_NAME: f("string", "Last name"),
  POST: f("string", "Position"),
  TYPE_ID: f("crm_status", "Contact type", { statusType: "CONTACT_TYPE" }),
  SOURCE_ID: f("crm_status", "Source", { statusType: "SOURCE" }),
  COMPANY_ID: f("crm_company", "Company"),
  OPENED: f("char", "Available to everyone"),
  EXPORT: f("char", "Included in export"),
  COMMENTS: f("string", "Comment"),
  ...HAS_MULTI,
  ...AUTHORSHIP,
  ...MULTI,
};

const COMPANY_FIELDS: Record<string, FieldSpec> = {
  ...COMMON_HEAD,
  TITLE: f("string", "Company name"),
  // crm.item names the company type "typeId" (crm-item-add.md, Company tab).
  COMPANY_TYPE: f("crm_status", "Company type", { statusType: "COMPANY_TYPE", camel: "typeId" }),
  INDUSTRY: f("crm_status", "Industry", { statusType: "INDUSTRY" }),
  EMPLOYEES: f("crm_status", "Employees", { statusType: "EMPLOYEES" }),
  CURRENCY_ID: f("crm_currency", "Currency"),
  REVENUE: f("double", "Annual revenue"),
  OPENED: f("char", "Available to everyone"),
  IS_MY_COMPANY: f("char", "My company"),
  COMMENTS: f("string", "Comment"),
  ...HAS_MULTI,
  ...AUTHORSHIP,
  ...MULTI,
};

const DYNAMIC_FIELDS: Record<string, FieldSpec> = {
  ...COMMON_HEAD,
  XML_ID: f("string", "External code"),
  TITLE: f("string", "Name"),
  CATEGORY_ID: f("crm_category", "Pipeline", { immutable: true }),
  STAGE_ID: f("crm_status", "Stage"),
  OPENED: f("char", "Available to everyone"),
  BEGINDATE: f("date", "Start date"),
  CLOSEDATE: f("date", "Finish date"),
  CURRENCY_ID: f("crm_currency", "Currency"),
  OPPORTUNITY: f("double", "Amount"),
  COMPANY_ID: f("crm_company", "Company"),
  CONTACT_ID: f("crm_contact", "Contact"),
  ...AUTHORSHIP,
};

function build(
  base: Omit<CrmEntity, "defaultSelect" | "multiFields" | "toCamel" | "fromCamel" | "table">,
): CrmEntity {
  const toCamel = new Map<string, string>();
  const fromCamel = new Map<string, string>();
  for (const [name, spec] of Object.entries(base.fields)) {
    const camel = spec.camel ?? snakeToCamel(name);
    toCamel.set(name, camel);
    fromCamel.set(camel, name);
  }
  const names = Object.keys(base.fields);
  return {
    ...base,
    table: `crm:${base.entityTypeId}`,
    defaultSelect: names.filter((n) => !base.fields[n]?.multiple),
    multiFields: names.filter((n) => base.fields[n]?.type === "crm_multifield"),
    toCamel,
    fromCamel,
  };
}

/** Stage group: S(uccess), F(ailure) or P(rocess), from the stage code after the category prefix. */
export function stageSemantic(stage: unknown): "P" | "S" | "F" {
  const code = String(stage ?? "").replace(/^.*:/, "");
  if (code === "WON" || code === "CONVERTED" || code === "SUCCESS") return "S";
  if (code === "LOSE" || code === "APOLOGY" || code === "JUNK" || code === "FAIL") return "F";
  return "P";
}

const LEGACY: Record<LegacyCode, CrmEntity> = {
  lead: build({
    entityTypeId: 1,
    code: "lead",
    typeName: "Lead",
    fields: LEAD_FIELDS,
    stageField: "STATUS_ID",
    defaultStage: () => "NEW",
    defaults: { CURRENCY_ID: "USD", OPPORTUNITY: 0, IS_MANUAL_OPPORTUNITY: "N", OPENED: "Y" },
  }),
  deal: build({
    entityTypeId: 2,
    code: "deal",
    typeName: "Deal",
    fields: DEAL_FIELDS,
    stageField: "STAGE_ID",
    // The general pipeline (0) has bare stage codes; others are prefixed "C<id>:".
    defaultStage: (c) => (c === 0 ? "NEW" : `C${c}:NEW`),
    defaultCategory: 0,
    defaults: {
      TYPE_ID: "SALE",
      CURRENCY_ID: "USD",
      OPPORTUNITY: 0,
      IS_MANUAL_OPPORTUNITY: "N",
      OPENED: "Y",
      CLOSED: "N",
    },
  }),
  contact: build({
    entityTypeId: 3,
    code: "contact",
    typeName: "Contact",
    fields: CONTACT_FIELDS,
    defaults: { TYPE_ID: "CLIENT", OPENED: "Y", EXPORT: "Y" },
  }),
  company: build({
    entityTypeId: 4,
    code: "company",
    typeName: "Company",
    fields: COMPANY_FIELDS,
    defaults: { COMPANY_TYPE: "CUSTOMER", CURRENCY_ID: "USD", REVENUE: 0, OPENED: "Y", IS_MY_COMPANY: "N" },
  }),
};

export const LEGACY_CODES = Object.keys(LEGACY) as LegacyCode[];

export function legacyEntity(code: LegacyCode): CrmEntity {
  return LEGACY[code];
}

const dynamicCache = new Map<number, CrmEntity>();

/**
 * The entity for a crm.item entityTypeId: the four legacy types, or a smart
 * process that exists on this portal; undefined otherwise (→ NOT_FOUND).
 */
export function entityForType(portal: Portal, entityTypeId: number): CrmEntity | undefined {
  for (const e of Object.values(LEGACY)) if (e.entityTypeId === entityTypeId) return e;
  if (!portal.dynamicTypes.has(entityTypeId)) return undefined;
  let e = dynamicCache.get(entityTypeId);
  if (!e) {
    e = build({
      entityTypeId,
      typeName: "Item",
      fields: DYNAMIC_FIELDS,
      stageField: "STAGE_ID",
      // Smart-process stages look like "DT1038_1:NEW"; the default pipeline id is a guess (1).
      defaultStage: (c) => `DT${entityTypeId}_${c}:NEW`,
      defaultCategory: 1,
      defaults: { CURRENCY_ID: "USD", OPPORTUNITY: 0, OPENED: "Y" },
    });
    dynamicCache.set(entityTypeId, e);
  }
  return e;
}

/** Stored key → crm.item key (useOriginalUfNames=Y keeps UF_CRM_* as they are). */
export function itemKey(entity: CrmEntity, stored: string, originalUf: boolean): string {
  const known = entity.toCamel.get(stored);
  if (known) return known;
  if (isUfName(stored)) return originalUf ? stored : ufToCamel(stored);
  return snakeToCamel(stored);
}

/** crm.item key (camelCase, ufCrm…, or already UF_CRM_…/UPPER_SNAKE) → stored key. */
export function storedKey(entity: CrmEntity, name: string): string {
  const known = entity.fromCamel.get(name);
  if (known) return known;
  if (name.startsWith("ufCrm")) return ufFromCamel(name);
  return camelToSnake(name);
}

/** True for keys a record may carry: standard fields and user fields. */
export function isKnownField(entity: CrmEntity, stored: string): boolean {
  return stored in entity.fields || isUfName(stored);
}

/** crm.<entity>.fields: `{NAME: {type, isRequired, isReadOnly, isImmutable, isMultiple, isDynamic, title}}`. */
export function fieldsMetadata(entity: CrmEntity): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(entity.fields)) {
    out[name] = {
      type: spec.type,
      isRequired: spec.required ?? false,
      isReadOnly: spec.readOnly ?? false,
      isImmutable: spec.immutable ?? false,
      isMultiple: spec.multiple ?? false,
      isDynamic: false,
      title: spec.title,
      ...(spec.statusType ? { statusType: spec.statusType } : {}),
    };
  }
  return out;
}
