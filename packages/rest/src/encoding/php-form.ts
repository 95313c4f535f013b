/**
 * Encodes values the way PHP reads them back: nested keys in brackets
 * (`fields[PHONE][0][VALUE]=555`); booleans become "true"/"false" as the official
 * SDK sends them, dates ISO-8601.
 * Bitrix24 decodes every form body and batch command with PHP's rules, so this
 * is the one encoding that survives a round trip through the portal.
 */
export type FormValue = string | number | boolean | null | undefined | Date | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

/** Flattens `value` into `[key, value]` pairs with PHP bracket keys. */
export function flattenParams(value: FormObject, prefix = ""): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const walk = (key: string, v: FormValue): void => {
    if (v === undefined) return;
    if (v === null) {
      pairs.push([key, ""]);
    } else if (Array.isArray(v)) {
      // An empty array still has to reach the portal as "empty", not vanish.
      if (v.length === 0) pairs.push([key, ""]);
      for (const [i, item] of v.entries()) walk(`${key}[${i}]`, item);
    } else if (typeof v === "object" && !(v instanceof Date)) {
      const entries = Object.entries(v);
      if (entries.length === 0) pairs.push([key, ""]);
      for (const [k, item] of entries) walk(`${key}[${k}]`, item);
    } else {
      pairs.push([key, scalar(v)]);
    }
  };
  for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}[${k}]` : k, v);
  return pairs;
}

/** `application/x-www-form-urlencoded` body (or query string) with PHP bracket keys. */
export function encodeForm(value: FormObject): string {
  return flattenParams(value)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}
