import type { Portal } from "../../state/portal.js";
import type { Row } from "../../state/table.js";
import type { LegacyCode } from "./crm-entities.js";

/*
 * CRM user-field definitions (api-reference/crm/deals/user-defined-fields/ and
 * the lead, contact and company counterparts): one table per portal, each row a
 * field of one object (`ENTITY_ID` CRM_DEAL, CRM_LEAD, …). Values live on the
 * records under FIELD_NAME, like a column the portal adds to every record.
 */

const TABLE = "crm_userfields";

/** `ENTITY_ID` of each object's fields (crm-deal-userfield-get.md: "CRM_DEAL"). */
export const UF_ENTITY_ID: Record<LegacyCode, string> = {
  lead: "CRM_LEAD",
  deal: "CRM_DEAL",
  contact: "CRM_CONTACT",
  company: "CRM_COMPANY",
};

/** The built-in `USER_TYPE_ID`s crm-deal-userfield-add.md lists (app types are `rest_<app>_<code>`). */
export const BUILT_IN_TYPES = [
  "string",
  "integer",
  "double",
  "boolean",
  "datetime",
  "date",
  "money",
  "url",
  "address",
  "enumeration",
  "file",
  "employee",
  "crm_status",
  "iblock_section",
  "iblock_element",
  "crm",
] as const;

/** Language ids of a lang_map (crm-deal-userfield-get.md's labels). */
export const LANGS = [
  "ar",
  "br",
  "de",
  "en",
  "fr",
  "hi",
  "id",
  "in",
  "it",
  "ja",
  "kz",
  "la",
  "ms",
  "pl",
  "ru",
  "sc",
  "tc",
  "th",
  "tr",
  "ua",
  "vn",
] as const;

export const LABEL_KEYS = [
  "EDIT_FORM_LABEL",
  "LIST_COLUMN_LABEL",
  "LIST_FILTER_LABEL",
  "ERROR_MESSAGE",
  "HELP_MESSAGE",
] as const;

export type LangMap = Record<string, string>;

export interface EnumItem {
  ID: number;
  SORT: number;
  VALUE: string;
  DEF: "Y" | "N";
  XML_ID: string;
}

export interface UserFieldRecord {
  ID: number;
  ENTITY_ID: string;
  FIELD_NAME: string;
  USER_TYPE_ID: string;
  XML_ID: string | null;
  SORT: number;
  MULTIPLE: "Y" | "N";
  MANDATORY: "Y" | "N";
  SHOW_FILTER: string;
  SHOW_IN_LIST: "Y" | "N";
  EDIT_IN_LIST: "Y" | "N";
  IS_SEARCHABLE: "Y" | "N";
  SETTINGS: Record<string, unknown>;
  EDIT_FORM_LABEL: LangMap;
  LIST_COLUMN_LABEL: LangMap;
  LIST_FILTER_LABEL: LangMap;
  ERROR_MESSAGE: LangMap;
  HELP_MESSAGE: LangMap;
  LIST?: EnumItem[];
}

export function userFieldTable(portal: Portal) {
  return portal.table(TABLE);
}

/** Every field of one object, in the default order of the list page: SORT, then ID. */
export function userFieldsOf(portal: Portal, entityId: string): UserFieldRecord[] {
  return userFieldTable(portal)
    .all()
    .map((row) => row as unknown as UserFieldRecord)
    .filter((f) => f.ENTITY_ID === entityId)
    .sort((a, b) => a.SORT - b.SORT || a.ID - b.ID);
}

export function userFieldByName(portal: Portal, entityId: string, name: string): UserFieldRecord | undefined {
  return userFieldsOf(portal, entityId).find((f) => f.FIELD_NAME === name);
}

export function saveUserField(portal: Portal, field: UserFieldRecord): void {
  userFieldTable(portal).rows.set(field.ID, field as unknown as Row);
}

/** `rest_12_deal_health` → true: a type registered with userfieldtype.add (widgets/user-field/index.md). */
export function isAppType(userTypeId: string): boolean {
  return /^rest_\d+_/.test(userTypeId);
}

/**
 * The settings a type starts with: the keys crm-deal-userfield-get.md and
 * crm-deal-userfield-list.md show for it, overwritten by what was given.
 */
export function defaultSettings(userTypeId: string): Record<string, unknown> {
  switch (userTypeId) {
    case "string":
      return { SIZE: 20, ROWS: 1, REGEXP: "", MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: "" };
    case "double":
      return { PRECISION: 2, DEFAULT_VALUE: "" };
    case "boolean":
      return { DEFAULT_VALUE: 0, DISPLAY: "CHECKBOX" };
    case "date":
    case "datetime":
      return { DEFAULT_VALUE: { VALUE: "", TYPE: "NONE" } };
    case "enumeration":
      return { DISPLAY: "LIST", LIST_HEIGHT: 1, CAPTION_NO_VALUE: "", SHOW_NO_VALUE: "Y" };
    default:
      return {};
  }
}

/** The label in one language, "" when the map has none (crm.<entity>.fields' listLabel…). */
export function labelIn(map: LangMap | undefined, lang: string): string {
  return map?.[lang] ?? "";
}
