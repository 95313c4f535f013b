import { type CrmEntity, legacyEntity } from "../methods/crm/crm-entities.js";
import { blankRecord, derive, stamp } from "../methods/crm/crm-records.js";
import type { MultiValue } from "../methods/crm/crm-values.js";
import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { Row, Table } from "../state/table.js";

/**
 * Bulk CRM test data. Everything is derived from the row index (no randomness),
 * so two runs seed identical portals and benchmarks stay comparable. Rows are
 * written straight into the tables, skipping per-call input handling, so
 * 100,000 deals take a fraction of a second. Records get the same keys and
 * value types as ones created through the REST methods.
 */

export interface SeedCounts {
  deals?: number;
  contacts?: number;
  companies?: number;
  leads?: number;
}

const FIRST = [
  "Anna",
  "Boris",
  "Clara",
  "David",
  "Elena",
  "Felix",
  "Greta",
  "Hugo",
  "Irina",
  "Jonas",
  "Kira",
  "Leo",
];
const LAST = [
  "Smith",
  "Ivanova",
  "Müller",
  "Garcia",
  "Kowalski",
  "Rossi",
  "Novak",
  "Dubois",
  "Jensen",
  "Silva",
];
const COMPANY_WORDS = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Hooli",
  "Vandelay",
  "Soylent",
  "Tyrell",
];
const COMPANY_SUFFIX = ["LLC", "Inc.", "GmbH", "Ltd", "Group"];
const DEAL_STAGES = ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"];
const LEAD_STATUSES = ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"];
const SOURCES = ["CALL", "EMAIL", "WEB", "ADVERTISING", "PARTNER", "RECOMMENDATION", "TRADE_SHOW"];
const DEAL_TYPES = ["SALE", "COMPLEX", "GOODS", "SERVICES", "SERVICE"];
const INDUSTRIES = [
  "IT",
  "TELECOM",
  "MANUFACTURING",
  "BANKING",
  "CONSULTING",
  "FINANCE",
  "GOVERNMENT",
  "DELIVERY",
];
const CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP"];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** Inserts a prepared row with the table's own id sequence (what Table.insert does, without the copy). */
function put(table: Table, row: Record<string, unknown>): Row {
  table.seq += 1;
  row.ID = table.seq;
  table.rows.set(table.seq, row as Row);
  return row as Row;
}

function multi(nextId: () => number, typeId: string, value: string): MultiValue[] {
  return [{ ID: nextId(), VALUE_TYPE: "WORK", VALUE: value, TYPE_ID: typeId }];
}

/**
 * Seeds `counts` records of each kind, created over the minutes before `nowMs`
 * (older records have lower ids). Deals link to contacts and companies already
 * in the portal, including ones seeded in the same call; responsible users
 * rotate over the portal's users.
 */
export function seedCrm(
  portal: Portal,
  counts: SeedCounts,
  nowMs: number,
): { deals: number; contacts: number; companies: number; leads: number } {
  const users = [...portal.users.keys()].sort((a, b) => a - b);
  const user = (i: number) => pick(users, i);
  const fm = portal.table("crm:multifield");
  const nextFm = () => {
    fm.seq += 1;
    return fm.seq;
  };
  const at = (i: number, n: number) => nowMs - (n - i) * MINUTE_MS;
  // One template per type (copied per row) and one date string per distinct day keep 100k rows cheap.
  const days = new Map<number, string>();
  const day = (ms: number): string => {
    const d = Math.floor(ms / DAY_MS);
    let s = days.get(d);
    if (s === undefined) {
      s = isoWithOffset(d * DAY_MS);
      days.set(d, s);
    }
    return s;
  };
  const fresh = (entity: CrmEntity) => {
    const template = blankRecord(entity, 0, nowMs);
    // Link lists are per record: a copied template must not share its arrays.
    const lists = Object.keys(template).filter((k) => Array.isArray(template[k]));
    return (userId: number, createdMs: number): Record<string, unknown> => {
      const row = { ...template };
      for (const k of lists) row[k] = [];
      stamp(entity, row, userId, isoWithOffset(createdMs));
      if ("BEGINDATE" in row) row.BEGINDATE = day(createdMs);
      if ("CLOSEDATE" in row) row.CLOSEDATE = day(createdMs + 7 * DAY_MS);
      return row;
    };
  };
  /** Computes what the portal derives (stage group, flags, closing date), as for records added by REST. */
  const finish = (entity: CrmEntity, row: Record<string, unknown>): Record<string, unknown> => {
    derive(entity, row, row.DATE_CREATE as string);
    return row;
  };

  const companies = legacyEntity("company");
  const companyTable = portal.table(companies.table);
  const newCompany = fresh(companies);
  const nCompanies = counts.companies ?? 0;
  for (let i = 0; i < nCompanies; i++) {
    const row = newCompany(user(i), at(i, nCompanies));
    row.TITLE = `${pick(COMPANY_WORDS, i)} ${pick(COMPANY_SUFFIX, Math.floor(i / 10))} ${i + 1}`;
    row.INDUSTRY = pick(INDUSTRIES, i);
    row.REVENUE = ((i * 7919) % 1000) * 10_000;
    row.CURRENCY_ID = pick(CURRENCIES, i);
    row.PHONE = multi(nextFm, "PHONE", `+1555${String(1_000_000 + i).slice(1)}`);
    row.EMAIL = multi(nextFm, "EMAIL", `office${i + 1}@company${i + 1}.example`);
    put(companyTable, finish(companies, row));
  }

  const contacts = legacyEntity("contact");
  const contactTable = portal.table(contacts.table);
  const newContact = fresh(contacts);
  const companyIds = [...companyTable.rows.keys()];
  const nContacts = counts.contacts ?? 0;
  for (let i = 0; i < nContacts; i++) {
    const row = newContact(user(i), at(i, nContacts));
    row.NAME = pick(FIRST, i);
    row.LAST_NAME = pick(LAST, Math.floor(i / FIRST.length));
    row.SOURCE_ID = pick(SOURCES, i);
    row.COMPANY_ID = companyIds.length > 0 ? pick(companyIds, i) : null;
    row.COMPANY_IDS = row.COMPANY_ID === null ? [] : [row.COMPANY_ID];
    row.PHONE = multi(nextFm, "PHONE", `+1444${String(1_000_000 + i).slice(1)}`);
    if (i % 3 !== 2) row.EMAIL = multi(nextFm, "EMAIL", `contact${i + 1}@mail.example`);
    put(contactTable, finish(contacts, row));
  }

  const leads = legacyEntity("lead");
  const leadTable = portal.table(leads.table);
  const newLead = fresh(leads);
  const nLeads = counts.leads ?? 0;
  for (let i = 0; i < nLeads; i++) {
    const row = newLead(user(i), at(i, nLeads));
    row.TITLE = `Lead from ${pick(SOURCES, i).toLowerCase()} #${i + 1}`;
    row.NAME = pick(FIRST, i + 3);
    row.LAST_NAME = pick(LAST, i);
    row.COMPANY_TITLE = `${pick(COMPANY_WORDS, i + 5)} ${pick(COMPANY_SUFFIX, i)}`;
    row.STATUS_ID = pick(LEAD_STATUSES, i);
    row.SOURCE_ID = pick(SOURCES, i + 1);
    row.OPPORTUNITY = ((i * 104_729) % 500) * 100;
    row.PHONE = multi(nextFm, "PHONE", `+1333${String(1_000_000 + i).slice(1)}`);
    row.EMAIL = multi(nextFm, "EMAIL", `lead${i + 1}@mail.example`);
    put(leadTable, finish(leads, row));
  }

  const deals = legacyEntity("deal");
  const dealTable = portal.table(deals.table);
  const newDeal = fresh(deals);
  const contactIds = [...contactTable.rows.keys()];
  const allCompanyIds = [...companyTable.rows.keys()];
  const nDeals = counts.deals ?? 0;
  for (let i = 0; i < nDeals; i++) {
    const created = at(i, nDeals);
    const row = newDeal(user(i), created);
    const stage = pick(DEAL_STAGES, i);
    row.TITLE = `Deal #${i + 1}: ${pick(COMPANY_WORDS, i)} order`;
    row.TYPE_ID = pick(DEAL_TYPES, i);
    row.STAGE_ID = stage;
    row.PROBABILITY = (i * 10) % 100;
    row.CURRENCY_ID = pick(CURRENCIES, i);
    // 100.00 … 99,900.00 in steps that spread well under modulo.
    row.OPPORTUNITY = (((i * 7_919) % 999) + 1) * 100;
    row.COMPANY_ID = allCompanyIds.length > 0 ? pick(allCompanyIds, i) : null;
    row.CONTACT_ID = contactIds.length > 0 ? pick(contactIds, i) : null;
    row.CONTACT_IDS = row.CONTACT_ID === null ? [] : [row.CONTACT_ID];
    row.SOURCE_ID = pick(SOURCES, i);
    row.COMMENTS = i % 4 === 0 ? `Follow-up call scheduled (${i + 1})` : null;
    row.CLOSEDATE = day(created + ((i % 30) + 1) * DAY_MS);
    put(dealTable, finish(deals, row));
  }

  return { deals: nDeals, contacts: nContacts, companies: nCompanies, leads: nLeads };
}
