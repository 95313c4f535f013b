import type { Portal } from "../../state/portal.js";
import { COMPANY_FIELDS, COMPANY_ITEM } from "./crm-company-fields.js";
import { CONTACT_FIELDS, CONTACT_ITEM } from "./crm-contact-fields.js";
import { DEAL_FIELDS, DEAL_ITEM } from "./crm-deal-fields.js";
import { DYNAMIC_ITEM, dynamicFields } from "./crm-dynamic-fields.js";
import type { FieldSpec, FieldTable } from "./crm-fields.js";
import { isComputedKey } from "./crm-item-computed.js";
import { LEAD_FIELDS, LEAD_ITEM } from "./crm-lead-fields.js";
import {
  camelToSnake,
  isExtraName,
  isUfName,
  relationFromCamel,
  relationToCamel,
  snakeToCamel,
  ufFromCamel,
  ufToCamel,
} from "./crm-names.js";

export type { FieldSpec, FieldType } from "./crm-fields.js";

/**
 * What a CRM entity type is: its table, its standard fields (UPPER_SNAKE, as
 * stored and as the legacy methods speak them), their crm.item camelCase names
 * and the item layout crm.item prints. Lead, deal, contact and company are
 * shared by crm.<entity>.* and crm.item.* (same table, so both APIs see the same
 * records); smart processes exist only through crm.item.*.
 */

export type LegacyCode = "lead" | "deal" | "contact" | "company";

export interface CrmEntity {
  entityTypeId: number;
  /** crm.<code>.* for the four legacy types; undefined for smart processes. */
  code?: LegacyCode;
  /** Used in default titles: "Deal #12" (crm.item.add docs). */
  typeName: string;
  table: string;
  /** Standard fields in the order crm.<entity>.fields lists them. */
  fields: FieldTable;
  /** crm.item keys in print order: stored fields (UPPER), computed keys (lower-case), `*` for extras. */
  itemLayout: readonly string[];
  /** Legacy list `select: ["*"]`: the standard fields records show, multi-fields aside. */
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
  /** A single link kept in step with its list: [CONTACT_ID, CONTACT_IDS] (the first of the list). */
  linkPair?: readonly [single: string, list: string];
  /** Static values of a new record (dates, authors and stage are set by crm-records.ts). */
  defaults: Record<string, unknown>;
  /** crm.<code>.fields needs read access (only crm-company-fields.md documents "Access denied"). */
  fieldsNeedRead?: boolean;
  /** Legacy not-found texts per operation where the page gives its own (default "Not found"). */
  notFound?: Partial<Record<"get" | "update" | "delete", { code: string; text: string }>>;
}

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
    defaultSelect: names.filter((n) => {
      const spec = base.fields[n] as FieldSpec;
      return spec.type !== "crm_multifield" && !spec.hidden;
    }),
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
    itemLayout: LEAD_ITEM,
    stageField: "STATUS_ID",
    defaultStage: () => "NEW",
    linkPair: ["CONTACT_ID", "CONTACT_IDS"],
    defaults: {
      CURRENCY_ID: "USD",
      OPPORTUNITY: 0,
      IS_MANUAL_OPPORTUNITY: "N",
      OPENED: "Y",
      HAS_IMOL: "N",
      IS_RETURN_CUSTOMER: "N",
    },
  }),
  deal: build({
    entityTypeId: 2,
    code: "deal",
    typeName: "Deal",
    fields: DEAL_FIELDS,
    itemLayout: DEAL_ITEM,
    stageField: "STAGE_ID",
    // The general pipeline (0) has bare stage codes; others are prefixed "C<id>:".
    defaultStage: (c) => (c === 0 ? "NEW" : `C${c}:NEW`),
    defaultCategory: 0,
    linkPair: ["CONTACT_ID", "CONTACT_IDS"],
    defaults: {
      TYPE_ID: "SALE",
      CURRENCY_ID: "USD",
      OPPORTUNITY: 0,
      IS_MANUAL_OPPORTUNITY: "N",
      TAX_VALUE: 0,
      OPENED: "Y",
      CLOSED: "N",
      IS_RECURRING: "N",
      IS_RETURN_CUSTOMER: "N",
      IS_REPEATED_APPROACH: "N",
    },
  }),
  contact: build({
    entityTypeId: 3,
    code: "contact",
    typeName: "Contact",
    fields: CONTACT_FIELDS,
    itemLayout: CONTACT_ITEM,
    linkPair: ["COMPANY_ID", "COMPANY_IDS"],
    defaults: { TYPE_ID: "CLIENT", OPENED: "Y", EXPORT: "Y", HAS_IMOL: "N" },
    notFound: {
      // crm-contact-update.md's error example; crm-contact-delete.md's table.
      update: { code: "", text: "Contact is not found" },
      delete: { code: "ERROR_CORE", text: "Element not found" },
    },
  }),
  company: build({
    entityTypeId: 4,
    code: "company",
    typeName: "Company",
    fields: COMPANY_FIELDS,
    itemLayout: COMPANY_ITEM,
    defaults: {
      COMPANY_TYPE: "CUSTOMER",
      CURRENCY_ID: "USD",
      REVENUE: 0,
      OPENED: "Y",
      IS_MY_COMPANY: "N",
      HAS_IMOL: "N",
    },
    fieldsNeedRead: true,
    notFound: {
      // crm-company-update.md's error example and crm-company-delete.md's table.
      update: { code: "", text: "Company is not found" },
      delete: { code: "", text: "Company is not found" },
    },
  }),
};

export const LEGACY_CODES = Object.keys(LEGACY) as LegacyCode[];

export function legacyEntity(code: LegacyCode): CrmEntity {
  return LEGACY[code];
}

/** The pipeline a smart-process item gets when none is given (the emulator's one default pipeline). */
const DYNAMIC_DEFAULT_CATEGORY = 1;

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
      fields: dynamicFields(entityTypeId, DYNAMIC_DEFAULT_CATEGORY),
      itemLayout: DYNAMIC_ITEM,
      stageField: "STAGE_ID",
      // Smart-process stages look like "DT1038_1:NEW".
      defaultStage: (c) => `DT${entityTypeId}_${c}:NEW`,
      defaultCategory: DYNAMIC_DEFAULT_CATEGORY,
      linkPair: ["CONTACT_ID", "CONTACT_IDS"],
      defaults: { CURRENCY_ID: "USD", OPPORTUNITY: 0, TAX_VALUE: 0, IS_MANUAL_OPPORTUNITY: "N", OPENED: "Y" },
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
  return relationToCamel(stored) ?? snakeToCamel(stored);
}

/**
 * crm.item key (camelCase, ufCrm…, parentId…, or UPPER_SNAKE as crm.item.fields'
 * upperName gives it, e.g. CREATED_TIME) → stored key.
 */
export function storedKey(entity: CrmEntity, name: string): string {
  const known = entity.fromCamel.get(name);
  if (known) return known;
  if (name.startsWith("ufCrm")) return ufFromCamel(name);
  const relation = relationFromCamel(name);
  if (relation) return relation;
  if (/^[A-Z0-9_]+$/.test(name) && !(name in entity.fields)) {
    const viaCamel = entity.fromCamel.get(snakeToCamel(name));
    if (viaCamel) return viaCamel;
  }
  return camelToSnake(name);
}

/** True for keys a record may carry: standard fields, user fields and relation (PARENT_ID_…) fields. */
export function isKnownField(entity: CrmEntity, stored: string): boolean {
  return stored in entity.fields || isExtraName(stored);
}

/** The stored keys crm.item prints (its layout's UPPER names). */
export function itemStoredKeys(entity: CrmEntity): Set<string> {
  return new Set(entity.itemLayout.filter((k) => k !== "*" && !isComputedKey(k)));
}
