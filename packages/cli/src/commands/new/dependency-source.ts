import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The b24kit packages a new app depends on, by package name → folder in the workspace. */
const WORKSPACE_PACKAGES: Record<string, string> = {
  "@b24kit/app": "packages/app",
  "@b24kit/rest": "packages/rest",
  "@b24kit/emulator": "packages/emulator",
  b24kit: "packages/cli",
};

export interface DependencySource {
  /** "checkout": this CLI runs from a b24kit repository checkout; "registry": from an installed package. */
  kind: "checkout" | "registry";
  /** The specs once the packages are published (this CLI's version), for the app's README. */
  published: Record<string, string>;
  /** The workspace root when kind is "checkout". */
  root?: string;
  /** The dependency spec of each b24kit package (file: paths, or version ranges). */
  specs: Record<string, string>;
  /** Workspace packages whose build (dist/) is missing. */
  unbuilt: string[];
}

/** This package's folder (src/commands/new/ and dist/commands/new/ are both three levels down). */
export const cliRoot = fileURLToPath(new URL("../../../", import.meta.url));

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Where a new app gets the b24kit packages from. They are not on npm yet: a CLI that runs from
 * a checkout of the b24kit repository (this package's folder is packages/cli of a workspace whose
 * packages/app is @b24kit/app) points the app at the workspace's package folders with absolute
 * `file:` specs, which npm links; otherwise it asks for this CLI's own version from the registry.
 */
export function dependencySource(version: string, root = resolve(cliRoot, "..", "..")): DependencySource {
  const workspace = readJson(join(root, "package.json"));
  const app = readJson(join(root, "packages", "app", "package.json"));
  const isCheckout =
    Array.isArray(workspace?.workspaces) &&
    app?.name === "@b24kit/app" &&
    resolve(cliRoot) === resolve(root, "packages", "cli");
  const published = Object.fromEntries(Object.keys(WORKSPACE_PACKAGES).map((name) => [name, `^${version}`]));
  if (!isCheckout) return { kind: "registry", published, specs: published, unbuilt: [] };
  const specs: Record<string, string> = {};
  const unbuilt: string[] = [];
  for (const [name, folder] of Object.entries(WORKSPACE_PACKAGES)) {
    specs[name] = `file:${join(root, folder)}`;
    if (!existsSync(join(root, folder, "dist"))) unbuilt.push(name);
  }
  return { kind: "checkout", root, published, specs, unbuilt };
}
