import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** package.json's "b24kit" field: settings of `b24kit dev` and `b24kit matrix` for this app. */
export interface PackageSettings {
  /** The app's scopes, when its manifest cannot be read. */
  scopes?: string[];
  /** The module exporting `manifest` (default src/app.ts). */
  manifest?: string;
  /** The app's server entry for `b24kit matrix` (default src/server.ts). */
  entry?: string;
  /** The module exporting the scenarios of `b24kit matrix`. */
  matrix?: string;
}

const isText = (v: unknown) => typeof v === "string" && v.trim() !== "";

/** Each setting with what it takes, in the words of the error that refuses it. */
const SETTINGS: { [K in keyof PackageSettings]-?: [check: (v: unknown) => boolean, allowed: string] } = {
  scopes: [(v) => Array.isArray(v) && v.every(isText), 'a list of scope codes (["crm", "placement"])'],
  manifest: [isText, "a module path (src/app.ts)"],
  entry: [isText, "a module path (src/server.ts)"],
  matrix: [isText, "a module path (test/matrix.ts)"],
};

/**
 * The app's package.json, its "b24kit" field checked where it is read: a
 * misspelt key (`"entyr"`) or a wrong kind of value would otherwise be ignored
 * and the defaults used without a word. Absent: `{}`.
 */
export function readPackageJson(appDir: string): { name?: string; b24kit?: PackageSettings } {
  const file = join(appDir, "package.json");
  if (!existsSync(file)) return {};
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!pkg || typeof pkg !== "object" || Array.isArray(pkg)) throw new Error(`${file} is not a JSON object`);
  const { name, b24kit } = pkg as { name?: unknown; b24kit?: unknown };
  if (b24kit === undefined) return typeof name === "string" ? { name } : {};
  if (!b24kit || typeof b24kit !== "object" || Array.isArray(b24kit))
    throw new Error(
      `${file}: "b24kit" must be an object ({"entry": …, "manifest": …, "scopes": […], "matrix": …})`,
    );
  const problems: string[] = [];
  for (const [key, value] of Object.entries(b24kit)) {
    const rule = SETTINGS[key as keyof PackageSettings];
    if (!rule) problems.push(`unknown key "${key}" (known: ${Object.keys(SETTINGS).join(", ")})`);
    else if (!rule[0](value)) problems.push(`"${key}" must be ${rule[1]}, got ${JSON.stringify(value)}`);
  }
  if (problems.length > 0) throw new Error(`${file}: "b24kit": ${problems.join("; ")}`);
  return { ...(typeof name === "string" ? { name } : {}), b24kit: b24kit as PackageSettings };
}
