/** How much of a detail object an audit row keeps (rows stay small whatever a caller passes). */
const LIMITS = { depth: 5, keys: 40, items: 20, stringChars: 1_000, totalChars: 8_192 } as const;

function bound(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > LIMITS.stringChars ? `${value.slice(0, LIMITS.stringChars)}…[cut]` : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= LIMITS.depth) return "[deep]";
  if (Array.isArray(value)) {
    const kept = value.slice(0, LIMITS.items).map((v) => bound(v, depth + 1));
    return value.length > LIMITS.items ? [...kept, `…${value.length - LIMITS.items} more`] : kept;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, LIMITS.keys).map(([k, v]) => [k, bound(v, depth + 1)] as const);
  if (entries.length > LIMITS.keys) kept.push(["…", `${entries.length - LIMITS.keys} more keys`]);
  return Object.fromEntries(kept);
}

/**
 * A detail object cut to size: long strings, long arrays, wide or deep
 * objects are shortened, and a result still over 8 KiB of JSON becomes a
 * `{ cut: true, preview }`. Call it on redacted values only: a cut never
 * uncovers anything, but redaction needs the whole text to recognise a secret.
 */
export function boundDetail(detail: Record<string, unknown>): Record<string, unknown> {
  const bounded = bound(detail, 0) as Record<string, unknown>;
  const json = JSON.stringify(bounded) ?? "{}";
  return json.length <= LIMITS.totalChars
    ? bounded
    : { cut: true, preview: json.slice(0, LIMITS.totalChars) };
}
