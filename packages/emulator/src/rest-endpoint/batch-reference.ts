/**
 * `$result[cmd][path]…` references inside batch commands, resolved the way the
 * portal's core does (docs/protocol.md §6.1): walk the path while keys exist; a
 * value that is exactly one reference becomes the (possibly partial) value
 * itself, even an array; a reference inside text is replaced only by a scalar
 * and left as written otherwise. Clients that chain pages must therefore not
 * trust a reference to a row that may not exist.
 */
const REFERENCE = /\$result\[([^\]]+)\]((?:\[[^\]]+\])*)/g;

function walk(results: Record<string, unknown>, cmd: string, path: string): unknown {
  let value: unknown = results[cmd];
  for (const [, key] of path.matchAll(/\[([^\]]+)\]/g)) {
    if (value && typeof value === "object" && key !== undefined && key in value) {
      value = (value as Record<string, unknown>)[key];
    } else {
      break;
    }
  }
  return value ?? null;
}

function resolveString(text: string, results: Record<string, unknown>): unknown {
  const matches = [...text.matchAll(REFERENCE)];
  if (matches.length === 0) return text;
  const first = matches[0]!;
  if (matches.length === 1 && first[0] === text) return walk(results, first[1]!, first[2] ?? "");
  let out = text;
  for (const m of matches) {
    const v = walk(results, m[1]!, m[2] ?? "");
    if (typeof v === "string" || typeof v === "number") out = out.replace(m[0], String(v));
  }
  return out;
}

export function resolveReferences(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === "string") return resolveString(value, results);
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        String(resolveString(k, results)),
        resolveReferences(v, results),
      ]),
    );
  }
  return value;
}
