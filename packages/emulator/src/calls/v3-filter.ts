import { V3Errors } from "./v3-errors.js";

/*
 * REST 3.0 filters (api-reference/rest-v3.md, "Filtering"): an array of conditions combined with AND —
 * `["field", "op", value]` or `["field", value]` (=, or `in` for a list) — and groups
 * `{"logic": "or"|"and", "conditions": [...]}`. Operators: = != > >= < <= in between.
 */

export type Item = Record<string, unknown>;
type Test = (item: Item) => boolean;

const OPERATORS = new Set(["=", "!=", ">", ">=", "<", "<=", "in", "between"]);

function comparable(value: unknown): number | string {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = String(value ?? "");
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return /^\d{4}-\d\d-\d\d/.test(text) && !Number.isNaN(date) ? date : text;
}

function compare(a: unknown, b: unknown): number {
  const x = comparable(a);
  const y = comparable(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What a filter may name: the object's fields, those of them it filters by, and its DTO's name. */
export interface FilterSchema {
  entity: string;
  known: ReadonlySet<string>;
  filterable: ReadonlySet<string>;
}

function condition(entry: unknown[], schema: FilterSchema): Test {
  const [field, second, third] = entry;
  if (typeof field !== "string")
    throw V3Errors.validation([{ message: "Filter field must be a string", field: "filter" }]);
  if (!schema.known.has(field)) throw V3Errors.unknownProperty(field, schema.entity);
  // A field of the object that it does not filter by (tasks-task-list-rest-v3.md, "Filtering Errors").
  if (!schema.filterable.has(field))
    throw V3Errors.validation([
      {
        message: `In DTO \`${schema.entity}\`, the \`${field}\` field requires the \`Filterable\` attribute for such a request`,
        field,
      },
    ]);
  const short = entry.length === 2;
  const op = short ? (Array.isArray(second) ? "in" : "=") : String(second);
  const value = short ? second : third;
  if (!OPERATORS.has(op)) throw V3Errors.unknownOperator(op);
  const list = Array.isArray(value) ? value : [value];
  switch (op) {
    case "=":
      return (item) => compare(item[field], value) === 0;
    case "!=":
      return (item) => compare(item[field], value) !== 0;
    case ">":
      return (item) => compare(item[field], value) > 0;
    case ">=":
      return (item) => compare(item[field], value) >= 0;
    case "<":
      return (item) => compare(item[field], value) < 0;
    case "<=":
      return (item) => compare(item[field], value) <= 0;
    case "in":
      return (item) => list.some((v) => compare(item[field], v) === 0);
    default:
      return (item) => compare(item[field], list[0]) >= 0 && compare(item[field], list[1]) <= 0;
  }
}

/** Compiles a filter into a test on items (fields as the DTO names them); unknown fields and operators refuse. */
export function compileV3Filter(filter: unknown, schema: FilterSchema): Test {
  if (filter === undefined || filter === null) return () => true;
  if (!Array.isArray(filter))
    throw V3Errors.validation([{ message: "Filter must be an array", field: "filter" }]);
  const tests = filter.map((entry): Test => {
    if (Array.isArray(entry)) return condition(entry, schema);
    if (entry && typeof entry === "object") {
      const group = entry as { logic?: unknown; conditions?: unknown };
      const inner = compileV3Filter(group.conditions ?? [], schema);
      if (String(group.logic ?? "and").toLowerCase() !== "or") return inner;
      const each = (Array.isArray(group.conditions) ? group.conditions : []).map((c) =>
        compileV3Filter([c], schema),
      );
      return (item) => each.some((t) => t(item));
    }
    throw V3Errors.validation([{ message: "Filter condition must be an array or a group", field: "filter" }]);
  });
  return (item) => tests.every((t) => t(item));
}
