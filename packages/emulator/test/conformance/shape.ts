/**
 * The shape of a documented answer: what the page's example shows, as facts.
 *
 * - a string names the value's type; `|` joins alternatives:
 *   `string`, `number`, `boolean`, `null`, `object` (any object), `array` (any array), `any`,
 *   `digits` (a string of digits, as the classic API writes ids and numbers),
 *   `datetime` (ISO 8601 with an offset, `2024-04-24T10:00:00+03:00`), `date` (`2024-04-24`),
 *   `Y/N` (the string `Y` or `N`);
 * - `[shape]`: an array whose every element has that shape (`[]`: any elements);
 * - `{ key: shape }`: an object with exactly these keys; `"key?"` marks one the example may
 *   lack, and a `"..."` key (any value) allows keys the page does not show.
 */
export type Shape = string | Shape[] | { [key: string]: Shape };

/**
 * The classic envelope's `time` (settings/how-to-call-rest-api/general-principles.md; server-time.md's
 * example), also each batch sub-call's `result_time` entry (batch.md).
 */
export const TIME_SHAPE: Shape = {
  start: "number",
  finish: "number",
  duration: "number",
  processing: "number",
  date_start: "datetime",
  date_finish: "datetime",
  "operating_reset_at?": "number",
  "operating?": "number",
};

const SCALARS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  any: () => true,
  digits: (v) => typeof v === "string" && /^-?\d+$/.test(v),
  datetime: (v) =>
    typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(v),
  date: (v) => typeof v === "string" && /^\d{4}-\d\d-\d\d$/.test(v),
  "Y/N": (v) => v === "Y" || v === "N",
};

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Every way `value` differs from `shape`, as `path: problem` lines (empty when it conforms). */
export function shapeMismatches(value: unknown, shape: Shape, path = "result"): string[] {
  if (typeof shape === "string") {
    const kinds = shape.split("|");
    for (const kind of kinds) if (!SCALARS[kind]) return [`${path}: unknown shape "${kind}" in the fixture`];
    return kinds.some((kind) => SCALARS[kind]?.(value))
      ? []
      : [`${path}: expected ${shape}, got ${describe(value)}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${describe(value)}`];
    const element = shape[0];
    return element === undefined
      ? []
      : value.flatMap((item, i) => shapeMismatches(item, element, `${path}[${i}]`));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [`${path}: expected an object, got ${describe(value)}`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const documented = new Set<string>();
  for (const [rawKey, inner] of Object.entries(shape)) {
    if (rawKey === "...") continue;
    const optional = rawKey.endsWith("?");
    const key = optional ? rawKey.slice(0, -1) : rawKey;
    documented.add(key);
    if (!(key in record)) {
      if (!optional) problems.push(`${path}.${key}: missing`);
      continue;
    }
    problems.push(...shapeMismatches(record[key], inner, `${path}.${key}`));
  }
  if (!("..." in shape))
    for (const key of Object.keys(record))
      if (!documented.has(key)) problems.push(`${path}.${key}: not on the page`);
  return problems;
}
