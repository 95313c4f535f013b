/**
 * The parameters of `b24kit call METHOD [params...]`, merged left to right:
 *
 * - a JSON object: `'{"id": 42, "fields": {"TITLE": "x"}}'`;
 * - `key=value`: a string, with PHP bracket keys as the portal reads forms
 *   (`filter[STAGE_ID]=WON`, `select[]=ID`, `fields[PHONE][0][VALUE]=555`);
 * - `key:=json`: a JSON value (`id:=42`, `filter[@ID]:=[1,2,3]`, `halt:=true`).
 */
export type Params = Record<string, unknown>;

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

export class ParamsError extends Error {}

export function parseParams(args: readonly string[]): Params {
  const params: Params = {};
  for (const arg of args) {
    if (arg.trimStart().startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(arg);
      } catch (error) {
        throw new ParamsError(`params: not valid JSON (${(error as Error).message}): ${clip(arg)}`);
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
        throw new ParamsError(`params: a JSON argument must be an object, got ${clip(arg)}`);
      for (const [key, value] of Object.entries(parsed)) {
        if (FORBIDDEN.has(key)) throw new ParamsError(`params: the key "${key}" is not allowed`);
        params[key] = value;
      }
      continue;
    }
    // Brackets may hold filter operators with "=" in them: filter[<=ID]=100, filter[!=STAGE_ID]=WON.
    const pair = /^([^[\]=:]+(?:\[[^[\]]*\])*)(:=|=)([\s\S]*)$/.exec(arg);
    if (!pair)
      throw new ParamsError(
        `params: expected a JSON object, key=value or key:=json, got ${clip(arg)} (e.g. id=42 filter[STAGE_ID]=WON select[]=ID)`,
      );
    const [, key, op, raw] = pair as unknown as [string, string, string, string];
    let value: unknown = raw;
    if (op === ":=") {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new ParamsError(`params: the value of ${key} is not valid JSON: ${clip(raw)} (use = for text)`);
      }
    }
    assign(params, pathOf(key), value, key);
  }
  return params;
}

/** `filter[>ID][]` → ["filter", ">ID", ""]. */
function pathOf(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match)
    throw new ParamsError(`params: cannot read the key ${clip(key)} (brackets like a[b][c] or a[])`);
  const parts = [match[1]!];
  for (const m of match[2]!.matchAll(/\[([^[\]]*)\]/g)) parts.push(m[1]!);
  for (const part of parts)
    if (FORBIDDEN.has(part)) throw new ParamsError(`params: the key "${part}" is not allowed`);
  return parts;
}

const isIndex = (part: string) => part === "" || /^(0|[1-9]\d*)$/.test(part);

function assign(root: Params, path: string[], value: unknown, key: string): void {
  let container: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const last = i === path.length - 1;
    const next = path[i + 1];
    if (Array.isArray(container)) {
      if (!isIndex(part))
        throw new ParamsError(
          `params: ${key} mixes list items ([] or [0]) with named keys at the same level`,
        );
      const index = part === "" ? container.length : Number(part);
      if (index > container.length)
        throw new ParamsError(`params: ${key}: list indexes must count up from 0 without gaps`);
      if (last) {
        container[index] = value;
        return;
      }
      container[index] ??= next !== undefined && isIndex(next) ? [] : {};
      container = descend(container[index], key);
    } else {
      if (part === "" && i > 0)
        throw new ParamsError(
          `params: ${key} mixes list items ([] or [0]) with named keys at the same level`,
        );
      if (last) {
        container[part] = value;
        return;
      }
      container[part] ??= next !== undefined && isIndex(next) ? [] : {};
      container = descend(container[part], key);
    }
  }
}

function descend(value: unknown, key: string): Record<string, unknown> | unknown[] {
  if (value && typeof value === "object") return value as Record<string, unknown> | unknown[];
  throw new ParamsError(`params: ${key} sets a key inside a value that is already text`);
}

function clip(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
