import type { Row } from "../state/table.js";
import type { MethodOutput } from "./method-def.js";
import { asArray, asInt, asRecord } from "./params.js";

/** Fixed page size of list methods (docs/protocol.md §5). */
export const PAGE_SIZE = 50;

type Op = ">=" | "<=" | "!=" | "!@" | "=%" | "%=" | "!%" | ">" | "<" | "=" | "!" | "@" | "%";
const OPS: Op[] = [">=", "<=", "!=", "!@", "=%", "%=", "!%", ">", "<", "=", "!", "@", "%"];

export interface ListQuery {
  filter?: unknown;
  order?: unknown;
  start?: unknown;
}

export interface ListOptions {
  /** Maps a field name as the caller writes it (e.g. camelCase `stageId`) to the stored key (`STAGE_ID`). */
  fieldKey?: (name: string) => string;
  /** Extra row predicate (rights: "own records only"). */
  visible?: (row: Row) => boolean;
  /**
   * Nested condition groups: a numeric key holds a group, whose `logic: "OR"` joins its
   * conditions with OR (crm.item.list, api-reference/crm/universal/crm-item-list.md).
   */
  groups?: boolean;
}

function parseFilterKey(key: string): { op: Op; field: string } {
  for (const op of OPS)
    if (key.startsWith(op) && key.length > op.length) return { op, field: key.slice(op.length) };
  return { op: "=", field: key };
}

function numeric(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** PHP's intval() of an array: 1 when non-empty. A batch reference that failed to resolve can leave one here. */
function scalarize(v: unknown): unknown {
  if (v && typeof v === "object") return Object.keys(v).length > 0 ? 1 : 0;
  return v;
}

const DATE = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?(Z|[+-]\d\d:?\d\d)?$/;

/** Milliseconds of an ISO-ish date; a value without an offset is portal time (UTC here). */
function dateValue(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = DATE.exec(v.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[3] ?? "Z"}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(left: unknown, right: unknown): number {
  const a = scalarize(left);
  const b = scalarize(right);
  // Dates compare as instants: "…T16:39:00+03:00" is before "…T13:40:59+00:00".
  const da = dateValue(a);
  const db = dateValue(b);
  if (da !== undefined && db !== undefined) return da - db;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  const sa = a === null || a === undefined ? "" : String(a);
  const sb = b === null || b === undefined ? "" : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean") return (a ? "Y" : "N") === String(b) || String(a) === String(b);
  return compare(a, b) === 0;
}

function values(stored: unknown): unknown[] {
  // Multi-fields (PHONE/EMAIL) match on any of their VALUEs.
  if (Array.isArray(stored))
    return stored.map((v) => (v && typeof v === "object" && "VALUE" in v ? v.VALUE : v));
  return [stored];
}

/**
 * SQL LIKE (`%` any run, `_` one character), case-insensitive, as the portal's string filters match:
 * `=%`/`%=` take the pattern as given (`"mol%"` starts, `"%mol"` ends, `"%mol%"` contains), `%` wraps
 * the value in `%…%` (`api-reference/crm/deals/crm-deal-list.md`).
 */
export function likeMatch(value: unknown, pattern: string): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "is").test(String(value ?? ""));
}

/** A filter condition compiled once per query: the row test runs per row, the parsing does not. */
type Predicate = (row: Row) => boolean;

function anyValue(stored: unknown, test: (v: unknown) => boolean): boolean {
  if (Array.isArray(stored)) return values(stored).some(test);
  return test(stored);
}

function compileCondition(field: string, op: Op, expected: unknown): Predicate {
  const list = Array.isArray(expected) ? expected : undefined;
  const inList = asArray(expected);
  const needle = String(expected ?? "");
  const num = numeric(scalarize(expected));
  // Numeric comparisons dominate list paging (`>ID`); skip the generic path for them.
  const cmp =
    num !== undefined
      ? (v: unknown) => {
          const n = numeric(scalarize(v));
          return n !== undefined ? n - num : compare(v, expected);
        }
      : (v: unknown) => compare(v, expected);
  const eq = (v: unknown) => (list ? list.some((e) => equal(v, e)) : equal(v, expected));
  switch (op) {
    case "=":
      return (row) => anyValue(row[field], eq);
    case "@":
      return (row) => anyValue(row[field], (v) => inList.some((e) => equal(v, e)));
    case "!":
    case "!=":
      return (row) => !anyValue(row[field], eq);
    case "!@":
      return (row) => !anyValue(row[field], (v) => inList.some((e) => equal(v, e)));
    case ">":
      return (row) => anyValue(row[field], (v) => cmp(v) > 0);
    case ">=":
      return (row) => anyValue(row[field], (v) => cmp(v) >= 0);
    case "<":
      return (row) => anyValue(row[field], (v) => cmp(v) < 0);
    case "<=":
      return (row) => anyValue(row[field], (v) => cmp(v) <= 0);
    case "%":
      return (row) => anyValue(row[field], (v) => likeMatch(v, `%${needle}%`));
    case "!%":
      return (row) => !anyValue(row[field], (v) => likeMatch(v, `%${needle}%`));
    case "=%":
    case "%=":
      return (row) => anyValue(row[field], (v) => likeMatch(v, needle));
  }
}

interface CompiledFilter {
  test: Predicate;
  /** Lowest ID a match can have (from `>ID` / `>=ID` / `=ID`), for a binary-search start. */
  minId: number;
}

/** A nested condition group (`groups` option): a numeric key holding an object of conditions. */
export function isFilterGroup(key: string, value: unknown): boolean {
  return /^\d+$/.test(key) && typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when a group's `logic` key joins its conditions with OR (AND otherwise). */
function joinsWithOr(filter: Record<string, unknown>): boolean {
  return Object.entries(filter).some(
    ([k, v]) => k.toLowerCase() === "logic" && String(v).toUpperCase() === "OR",
  );
}

function compileGroup(filter: unknown, options: ListOptions): CompiledFilter {
  const key = options.fieldKey ?? ((n: string) => n.toUpperCase());
  const record = asRecord(filter);
  const or = options.groups === true && joinsWithOr(record);
  const predicates: Predicate[] = [];
  let minId = Number.NEGATIVE_INFINITY;
  for (const [k, v] of Object.entries(record)) {
    if (options.groups && k.toLowerCase() === "logic") continue;
    if (options.groups && isFilterGroup(k, v)) {
      predicates.push(compileGroup(v, options).test);
      continue;
    }
    const { op, field } = parseFilterKey(k);
    const stored = key(field);
    predicates.push(compileCondition(stored, op, v));
    const n = Array.isArray(v) ? undefined : numeric(v);
    if (!or && stored === "ID" && n !== undefined) {
      if (op === ">") minId = Math.max(minId, Math.floor(n) + 1);
      if (op === ">=" || op === "=") minId = Math.max(minId, Math.ceil(n));
    }
  }
  if (or) return { test: (row) => predicates.some((p) => p(row)), minId };
  return { test: (row) => predicates.every((p) => p(row)), minId };
}

function compileFilter(filter: unknown, options: ListOptions): CompiledFilter {
  const group = compileGroup(filter, options);
  const { visible } = options;
  return visible ? { test: (row) => visible(row) && group.test(row), minId: group.minId } : group;
}

/** Applies `filter` (with the operator prefixes of docs/protocol.md §13.1) to rows. */
export function filterRows(rows: Row[], filter: unknown, options: ListOptions = {}): Row[] {
  const { test } = compileFilter(filter, options);
  return rows.filter(test);
}

function orderKeys(order: unknown, options: ListOptions): Array<{ field: string; sign: number }> {
  const key = options.fieldKey ?? ((n: string) => n.toUpperCase());
  return Object.entries(asRecord(order)).map(([k, dir]) => ({
    field: key(k),
    sign: String(dir).toUpperCase() === "DESC" ? -1 : 1,
  }));
}

/** True when `order` is ID ascending (or empty): tables keep rows in that order already. */
function isIdAscending(keys: Array<{ field: string; sign: number }>): boolean {
  return keys.every((k) => k.field === "ID" && k.sign === 1);
}

function isSortedById(rows: Row[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.ID > rows[i]!.ID) return false;
  return true;
}

/** Sorts by `order` ({FIELD: "ASC"|"DESC"}), ID ascending as the tie-breaker. */
export function orderRows(rows: Row[], order: unknown, options: ListOptions = {}): Row[] {
  const keys = orderKeys(order, options);
  if (isIdAscending(keys) && isSortedById(rows)) return rows;
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.field], b[k.field]);
      if (c !== 0) return c * k.sign;
    }
    return a.ID - b.ID;
  });
}

/** First index whose ID is >= minId in rows sorted by ID. */
function lowerBound(rows: Row[], minId: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.ID < minId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows from `from` on that pass `test`, walking until `want` are found; how many rows were walked. */
function walk(
  rows: Row[],
  from: number,
  test: (row: Row) => boolean,
  want: number,
): { matched: Row[]; walked: number } {
  const matched: Row[] = [];
  let i = from;
  for (; i < rows.length && matched.length < want; i++) if (test(rows[i]!)) matched.push(rows[i]!);
  return { matched, walked: i - from };
}

/**
 * One page of a list method: 50 rows from `start`, with `total` and `next`;
 * `start=-1` skips the count (total 0, no next) as the portal does (§5).
 *
 * `scanned` is what a database with an index on ID would examine, and what
 * the latency model charges (`perScannedRowMs`): an ID-ordered query seeks to
 * the lowest ID its filter allows; the COUNT behind `total` examines every
 * row from there; an OFFSET page walks and discards `start` matches before
 * its 50; `start=-1` walks only its page; any other order examines every
 * candidate row to sort them. Offset pages and keyset pages use the same
 * index — neither has a path of its own.
 */
export function pageRows(
  rows: Row[],
  query: ListQuery,
  view: (row: Row) => unknown,
  options: ListOptions = {},
): MethodOutput & { result: unknown[] } {
  const start = asInt(query.start) ?? 0;
  const offset = Math.max(0, start);
  const filter = compileFilter(query.filter, options);
  const keys = orderKeys(query.order, options);
  const counted = start !== -1;
  if (isIdAscending(keys) && isSortedById(rows)) {
    const from = lowerBound(rows, filter.minId);
    const page = walk(rows, from, filter.test, (counted ? offset : 0) + PAGE_SIZE);
    const pageRows = page.matched.slice(counted ? offset : 0);
    if (!counted)
      return { result: pageRows.map(view), total: 0, rows: pageRows.length, scanned: page.walked };
    const total =
      rows.length - from === page.walked ? page.matched.length : countFrom(rows, from, filter.test);
    const out: MethodOutput & { result: unknown[] } = {
      result: pageRows.map(view),
      total,
      rows: pageRows.length,
      scanned: rows.length - from + page.walked,
    };
    if (offset + PAGE_SIZE < total) out.next = offset + PAGE_SIZE;
    return out;
  }
  const matched = orderRows(rows.filter(filter.test), query.order, options);
  const page = matched.slice(counted ? offset : 0, (counted ? offset : 0) + PAGE_SIZE);
  const out: MethodOutput & { result: unknown[] } = {
    result: page.map(view),
    total: counted ? matched.length : 0,
    rows: page.length,
    scanned: rows.length,
  };
  if (counted && offset + PAGE_SIZE < matched.length) out.next = offset + PAGE_SIZE;
  return out;
}

function countFrom(rows: Row[], from: number, test: (row: Row) => boolean): number {
  let n = 0;
  for (let i = from; i < rows.length; i++) if (test(rows[i]!)) n++;
  return n;
}

/** Applies `select`: empty or "*" = the default fields; "UF_*" = every user field; else the named ones. */
export function selectFields(
  row: Record<string, unknown>,
  select: unknown,
  defaults: readonly string[],
): Record<string, unknown> {
  const wanted = asArray(select).map(String);
  const names = new Set<string>();
  if (wanted.length === 0) for (const d of defaults) names.add(d);
  for (const w of wanted) {
    if (w === "*") {
      for (const d of defaults) names.add(d);
    } else if (w === "UF_*") {
      for (const k of Object.keys(row)) if (k.startsWith("UF_")) names.add(k);
    } else {
      names.add(w.toUpperCase());
    }
  }
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in row) out[n] = row[n];
  return out;
}
