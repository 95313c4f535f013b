/**
 * `$result[name]…` references between commands of different chunks, resolved
 * on our side with the portal's rules (a whole-value reference takes the
 * referenced value as is; inside text only scalars are substituted).
 */
const REFERENCE = /\$result\[([^\]]+)\]((?:\[[^\]]+\])*)/g;

function walk(results: Record<string, unknown>, name: string, path: string): unknown {
  let value: unknown = results[name];
  for (const [, key] of path.matchAll(/\[([^\]]+)\]/g)) {
    if (value && typeof value === "object" && key !== undefined && key in value)
      value = (value as Record<string, unknown>)[key];
    else break;
  }
  return value ?? null;
}

/** Names of commands a value refers to. */
export function referencedNames(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string") for (const m of value.matchAll(REFERENCE)) into.add(m[1]!);
  else if (value && typeof value === "object") for (const v of Object.values(value)) referencedNames(v, into);
  return into;
}

/** Substitutes references to names in `results` (earlier chunks); others are left for the portal. */
export function substituteReferences(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const matches = [...value.matchAll(REFERENCE)].filter((m) => m[1]! in results);
    if (matches.length === 0) return value;
    if (matches.length === 1 && matches[0]![0] === value)
      return walk(results, matches[0]![1]!, matches[0]![2] ?? "");
    let out = value;
    for (const m of matches) {
      const v = walk(results, m[1]!, m[2] ?? "");
      if (typeof v === "string" || typeof v === "number") out = out.replace(m[0], String(v));
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => substituteReferences(v, results));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteReferences(v, results)]));
  }
  return value;
}
