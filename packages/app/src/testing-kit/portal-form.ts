/**
 * A body encoded exactly as PHP's `http_build_query` writes it, which is how a
 * portal sends its event POSTs (docs/protocol.md §3.2, §7.1): nested keys in
 * brackets (`data[FIELDS][ID]`, the brackets percent-encoded), lists with
 * indices (`k[0]=…`), `true`/`false` as 1/0, null and undefined left out
 * (empty lists and maps too: PHP writes nothing for them), spaces as `+` and
 * everything but letters, digits and `-_.` percent-encoded as UTF-8.
 */
export function encodePortalForm(value: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, item] of Object.entries(value)) append(pairs, key, item);
  return pairs.join("&");
}

function append(pairs: string[], key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === "boolean") pairs.push(`${phpUrlencode(key)}=${value ? "1" : "0"}`);
  else if (typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    pairs.push(`${phpUrlencode(key)}=${phpUrlencode(String(value))}`);
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) append(pairs, `${key}[${i}]`, item);
  else if (isPlainObject(value))
    for (const [name, item] of Object.entries(value)) append(pairs, `${key}[${name}]`, item);
  // Dates, maps, functions: PHP has no such value; say so rather than send nothing.
  else throw new TypeError(`encodePortalForm: ${key} is not a string, number, boolean, list or plain object`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const UTF8 = new TextEncoder();

/** PHP's `urlencode`: unlike encodeURIComponent it also encodes `!'()*~`, and a space is `+`. */
export function phpUrlencode(text: string): string {
  let out = "";
  for (const byte of UTF8.encode(text)) {
    if (byte === 0x20) out += "+";
    else if (
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f
    )
      out += String.fromCharCode(byte);
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
