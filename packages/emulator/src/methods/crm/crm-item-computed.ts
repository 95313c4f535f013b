import type { Row } from "../../state/table.js";
import type { MultiValue } from "./crm-values.js";

/**
 * crm.item keys that are not stored fields: the fields object-fields.md marks
 * "disabled" (always null: "Disabled fields always return null", crm-item-add.md),
 * the flat aliases of the multi-fields (crm-item-get.md: "phoneWork, phoneMobile,
 * emailWork … are flat aliases for … the first value of the corresponding type
 * from fm"), the search text, and what every item ends with.
 */

export interface ComputeContext {
  entityTypeId: number;
  multiFields: readonly string[];
}

type Compute = (row: Row, ctx: ComputeContext) => unknown;

const DISABLED = [
  "dateCreateShort",
  "dateModifyShort",
  "isConvert",
  "productId",
  "shortName",
  "address",
  "login",
  "begindateShort",
  "closedateShort",
  "eventDateShort",
  "isWork",
  "isWon",
  "isLose",
  "receivedAmount",
  "lostAmount",
  "hasProducts",
  "opportunityAccount",
  "taxValueAccount",
  "accountCurrencyId",
];

/** Deal calendar fields and the company's requisite images: fields the emulator never fills. */
const NEVER_FILLED = [
  "eventDate",
  "eventId",
  "eventDescription",
  "orderStage",
  "ufLogo",
  "ufStamp",
  "ufDirectorSign",
  "ufAccountantSign",
];

function entries(row: Row, typeId: string): MultiValue[] {
  const list = row[typeId];
  return Array.isArray(list) ? (list as MultiValue[]) : [];
}

/** The first value of a multi-field, optionally of one value type; "" when there is none. */
function first(typeId: string, valueType?: string, none: string | null = ""): Compute {
  return (row) =>
    entries(row, typeId).find((m) => valueType === undefined || m.VALUE_TYPE === valueType)?.VALUE ?? none;
}

/** The words a record is found by in the portal's full-text search (crm-item-get.md's searchContent). */
function searchContent(row: Row, ctx: ComputeContext): string {
  const words: unknown[] = [
    row.ID,
    row.TITLE,
    row.LAST_NAME,
    row.NAME,
    row.SECOND_NAME,
    row.COMPANY_TITLE,
    typeof row.OPPORTUNITY === "number" ? row.OPPORTUNITY.toFixed(2) : undefined,
    row.CURRENCY_ID,
    ...ctx.multiFields.flatMap((m) => entries(row, m).map((e) => e.VALUE)),
    row.COMMENTS,
  ];
  return words.filter((w) => w !== null && w !== undefined && w !== "").join(" ");
}

export const ITEM_COMPUTED: Record<string, Compute> = {
  ...Object.fromEntries([...DISABLED, ...NEVER_FILLED].map((k) => [k, () => null])),
  // Leads, deals, contacts and companies keep no CRM form id of their own here: 0 as crm-item-get.md shows.
  webformId: () => 0,
  // Contacts and companies live in the default category (object-fields.md categoryId).
  categoryId: () => 0,
  searchContent,
  phoneMobile: first("PHONE", "MOBILE"),
  phoneWork: first("PHONE", "WORK"),
  phoneMailing: first("PHONE", "MAILING"),
  emailHome: first("EMAIL", "HOME"),
  emailWork: first("EMAIL", "WORK"),
  emailMailing: first("EMAIL", "MAILING"),
  skype: first("IM", "SKYPE", null),
  icq: first("IM", "ICQ", null),
  imol: first("IM", "OPENLINE"),
  email: first("EMAIL"),
  phone: first("PHONE"),
  entityTypeId: (_row, ctx) => ctx.entityTypeId,
};

/** True for the layout names that are computed rather than stored (lower-case first letter). */
export function isComputedKey(name: string): boolean {
  return /^[a-z]/.test(name);
}
