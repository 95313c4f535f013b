/*
 * Reading a bot event's `data` as the form parser left it: objects, strings
 * for every scalar (numbers only from a JSON body). Never throws.
 */

export type Obj = Record<string, unknown>;

/** A plain object, or undefined. */
export function obj(value: unknown): Obj | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** A string or finite number as a string; '' for anything else. */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

/** A positive integer id from a form string or a number; 0 when absent or not one. */
export function id(value: unknown): number {
  const text = str(value).trim();
  if (!/^\d{1,15}$/.test(text)) return 0;
  return Number(text);
}
