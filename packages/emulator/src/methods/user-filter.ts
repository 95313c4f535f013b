import { likeMatch } from "../calls/list-query.js";
import { asArray, type Params, param } from "../calls/params.js";
import type { Row } from "../state/table.js";

/*
 * The filter of user.get and user.search (api-reference/user/user-get.md, user-search.md):
 * what `filterRows` does not know — the quick search, user.search's word search, LIKE with `%`
 * in the value, and date fields — compiled to row predicates; the rest goes to `filterRows`.
 */

/** Parameters of user.get/user.search that are not filter keys when the filter is given at top level. */
const RESERVED = new Set([
  "SORT",
  "ORDER",
  "FILTER",
  "ADMIN_MODE",
  "START",
  "SELECT",
  "IMAGE_RESIZE",
  "AUTH",
]);

/**
 * The `FILTER` object when one is given, otherwise the top-level keys (the pages' examples pass
 * `{"UF_DEPARTMENT": 1}` without FILTER). Keys are upper-cased as the portal does.
 */
export function userFilter(params: Params): Record<string, unknown> {
  const explicit = param(params, "FILTER");
  const source =
    explicit && typeof explicit === "object" && !Array.isArray(explicit)
      ? (explicit as Record<string, unknown>)
      : Object.fromEntries(Object.entries(params).filter(([k]) => !RESERVED.has(k.toUpperCase())));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) out[k.toUpperCase()] = v;
  return out;
}

/** Personal data user.search looks in: first, last and second name, job title (user-search.md). */
const PERSONAL_FIELDS = ["NAME", "LAST_NAME", "SECOND_NAME", "WORK_POSITION"] as const;

/** A text's words, lower-cased: what a full-text index (or a right LIKE) matches from their start. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether every word of `query` starts a word of `texts` (user-search.md: full-text index or right LIKE). */
function startsWords(texts: readonly string[], query: string): boolean {
  const content = texts.flatMap(words);
  return words(query).every((word) => content.some((c) => c.startsWith(word)));
}

/** The date fields of user-get.md's filter: ISO 8601 values; a value that is no date matches nothing. */
const DATE_FIELDS = new Set([
  "TIMESTAMP_X",
  "DATE_REGISTER",
  "LAST_LOGIN",
  "LAST_ACTIVITY_DATE",
  "PERSONAL_BIRTHDAY",
  "UF_EMPLOYMENT_DATE",
]);

const DATE = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?(Z|[+-]\d\d:?\d\d)?$/;

function dateMs(value: unknown): number | undefined {
  const m = typeof value === "string" ? DATE.exec(value.trim()) : null;
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[3] ?? "Z"}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const DATE_TESTS: Record<string, (row: number, wanted: number[]) => boolean> = {
  "": (row, wanted) => wanted.includes(row),
  "=": (row, wanted) => wanted.includes(row),
  "!": (row, wanted) => !wanted.includes(row),
  "!=": (row, wanted) => !wanted.includes(row),
  ">": (row, [w]) => w !== undefined && row > w,
  ">=": (row, [w]) => w !== undefined && row >= w,
  "<": (row, [w]) => w !== undefined && row < w,
  "<=": (row, [w]) => w !== undefined && row <= w,
};

/** A condition on a date field, or undefined when `key` is not one. Empty dates match no condition. */
function dateCondition(key: string, value: unknown): ((row: Row) => boolean) | undefined {
  const m = /^(>=|<=|!=|>|<|=|!)?([A-Z_]+)$/.exec(key);
  const test = m ? DATE_TESTS[m[1] ?? ""] : undefined;
  const field = m?.[2];
  if (!test || !field || !DATE_FIELDS.has(field)) return undefined;
  const wanted = asArray(value).map(dateMs);
  if (wanted.length === 0 || wanted.some((ms) => ms === undefined)) return () => false;
  const dates = wanted as number[];
  return (row) => {
    const stored = dateMs(row[field]);
    return stored !== undefined && test(stored, dates);
  };
}

export interface UserFilterOptions {
  /** user.search: personal data and UF_DEPARTMENT_NAME match from the start of their words. */
  search: boolean;
  /** The names of a row's departments (UF_DEPARTMENT_NAME and the quick search look in them). */
  departmentNames: (row: Row) => string[];
}

/** The filter split into row predicates and what `filterRows` understands. */
export function compileUserFilter(
  filter: Record<string, unknown>,
  options: UserFilterOptions,
): { rest: Record<string, unknown>; predicates: Array<(row: Row) => boolean> } {
  const rest: Record<string, unknown> = {};
  const predicates: Array<(row: Row) => boolean> = [];
  const personal = (row: Row) => [
    ...PERSONAL_FIELDS.map((f) => String(row[f] ?? "")),
    ...options.departmentNames(row),
  ];
  for (const [key, value] of Object.entries(filter)) {
    // FIND (user.search) and NAME_SEARCH (user.get): one text over all personal data.
    if (key === "FIND" || key === "NAME_SEARCH") {
      const text = String(value ?? "").trim();
      if (text) predicates.push((row) => startsWords(personal(row), text));
      continue;
    }
    const like = /^(!=%|!%=|=%|%=)(.+)$/.exec(key);
    if (like?.[1] && like[2]) {
      const field = like[2];
      const negate = like[1].startsWith("!");
      const pattern = String(value ?? "");
      predicates.push((row) => likeMatch(row[field], pattern) !== negate);
      continue;
    }
    const date = dateCondition(key, value);
    if (date) {
      predicates.push(date);
      continue;
    }
    if (typeof value === "string" && /^[A-Z_]+$/.test(key) && key !== "ID") {
      if (value.includes("%")) {
        predicates.push((row) => likeMatch(row[key], value));
        continue;
      }
      if (options.search && key === "UF_DEPARTMENT_NAME") {
        predicates.push((row) => startsWords(options.departmentNames(row), value));
        continue;
      }
      if (options.search && (PERSONAL_FIELDS as readonly string[]).includes(key)) {
        predicates.push((row) => startsWords([String(row[key] ?? "")], value));
        continue;
      }
    }
    rest[key] = value;
  }
  return { rest, predicates };
}
