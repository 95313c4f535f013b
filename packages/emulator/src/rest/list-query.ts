import type { MethodOutput } from "../methods/method-def.js";
import type { Row } from "../state/table.js";
import { asArray, asInt, asRecord } from "./params.js";

/** Fixed page size of list methods (protocol.md §5). */
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

function compare(left: unknown, right: unknown): number {
  const a = scalarize(left);
  const b = scalarize(right);
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

function like(hay: unknown, needle: string, mode: "contains" | "starts" | "ends"): boolean {
  const h = String(hay ?? "").toLowerCase();
  const n = needle.toLowerCase().replaceAll("%", "");
  if (mode === "starts") return h.startsWith(n);
  if (mode === "ends") return h.endsWith(n);
  return h.includes(n);
}

function matchOne(stored: unknown, op: Op, expected: unknown): boolean {
  const list = Array.isArray(expected) ? expected : undefined;
  const vals = values(stored);
  const any = (pred: (v: unknown) => boolean) => vals.some(pred);
  switch (op) {
    case "=":
      return list ? any((v) => list.some((e) => equal(v, e))) : any((v) => equal(v, expected));
    case "@":
      return any((v) => asArray(expected).some((e) => equal(v, e)));
    case "!":
    case "!=":
      return list ? !any((v) => list.some((e) => equal(v, e))) : !any((v) => equal(v, expected));
    case "!@":
      return !any((v) => asArray(expected).some((e) => equal(v, e)));
    case ">":
      return any((v) => compare(v, expected) > 0);
    case ">=":
      return any((v) => compare(v, expected) >= 0);
    case "<":
      return any((v) => compare(v, expected) < 0);
    case "<=":
      return any((v) => compare(v, expected) <= 0);
    case "%":
      return any((v) => like(v, String(expected ?? ""), "contains"));
    case "!%":
      return !any((v) => like(v, String(expected ?? ""), "contains"));
    case "=%":
      return any((v) => like(v, String(expected ?? ""), "starts"));
    case "%=":
      return any((v) => like(v, String(expected ?? ""), "ends"));
  }
}

/** Applies `filter` (with the operator prefixes of protocol.md §13.1) to rows. */
export function filterRows(rows: Row[], filter: unknown, options: ListOptions = {}): Row[] {
  const key = options.fieldKey ?? ((n: string) => n.toUpperCase());
  const conditions = Object.entries(asRecord(filter)).map(([k, v]) => {
    const { op, field } = parseFilterKey(k);
    return { op, field: key(field), value: v };
  });
  return rows.filter(
    (row) =>
      (!options.visible || options.visible(row)) &&
      conditions.every((c) => matchOne(row[c.field], c.op, c.value)),
  );
}

/** Sorts by `order` ({FIELD: "ASC"|"DESC"}), ID ascending as the tie-breaker. */
export function orderRows(rows: Row[], order: unknown, options: ListOptions = {}): Row[] {
  const key = options.fieldKey ?? ((n: string) => n.toUpperCase());
  const keys = Object.entries(asRecord(order)).map(([k, dir]) => ({
    field: key(k),
    sign: String(dir).toUpperCase() === "DESC" ? -1 : 1,
  }));
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.field], b[k.field]);
      if (c !== 0) return c * k.sign;
    }
    return a.ID - b.ID;
  });
}

/**
 * One page of a list method: 50 rows from `start`, with `total` and `next`;
 * `start=-1` skips the count (total 0, no next) as the portal does (§5).
 */
export function pageRows(
  rows: Row[],
  query: ListQuery,
  view: (row: Row) => unknown,
  options: ListOptions = {},
): MethodOutput & { result: unknown[] } {
  const matched = orderRows(filterRows(rows, query.filter, options), query.order, options);
  const start = asInt(query.start) ?? 0;
  if (start === -1) {
    const page = matched.slice(0, PAGE_SIZE);
    return { result: page.map(view), total: 0, rows: page.length };
  }
  const offset = Math.max(0, start);
  const page = matched.slice(offset, offset + PAGE_SIZE);
  const out: MethodOutput & { result: unknown[] } = {
    result: page.map(view),
    total: matched.length,
    rows: page.length,
  };
  if (offset + PAGE_SIZE < matched.length) out.next = offset + PAGE_SIZE;
  return out;
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
