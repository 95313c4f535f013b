/** Request parameters after PHP-style decoding: nested objects, arrays and string leaves. */
export type Params = Record<string, unknown>;

/** Reads a parameter case-insensitively (old CRM methods accept `fields` and `FIELDS`). */
export function param(params: Params, name: string): unknown {
  if (name in params) return params[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function asRecord(value: unknown): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  return {};
}

export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return Object.values(value);
  if (value === undefined || value === null || value === "") return [];
  return [value];
}

/** Integer parameter; undefined when absent or not an integer. */
export function asInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  return undefined;
}
