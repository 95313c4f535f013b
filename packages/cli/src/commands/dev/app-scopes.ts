import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** package.json's "b24kit" field: settings of `b24kit dev` for this app. */
export interface PackageSettings {
  /** The app's scopes, when its manifest cannot be read. */
  scopes?: string[];
  /** The module exporting `manifest` (default src/app.ts). */
  manifest?: string;
}

export function readPackageJson(appDir: string): { name?: string; b24kit?: PackageSettings } {
  const file = join(appDir, "package.json");
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as { name?: string; b24kit?: PackageSettings };
}

/** Imports the manifest module in a child process (through tsx) and prints its `manifest.scopes`. */
const PRINT_SCOPES = `
const m = await import(process.env.B24KIT_MANIFEST_MODULE);
const manifest = m.manifest ?? m.default?.manifest;
process.stdout.write(JSON.stringify(manifest?.scopes ?? null));
`;

function manifestScopes(appDir: string, module: string): Promise<string[] | undefined> {
  const file = resolve(appDir, module);
  const loader = /\.[cm]?tsx?$/.test(file) ? ["--import", "tsx"] : [];
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [...loader, "--input-type=module", "-e", PRINT_SCOPES],
      {
        cwd: appDir,
        env: { ...process.env, B24KIT_MANIFEST_MODULE: pathToFileURL(file).href },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          fail(new Error(`cannot read the manifest from ${module}: ${stderr.trim() || error.message}`));
          return;
        }
        const scopes = JSON.parse(stdout || "null") as unknown;
        done(Array.isArray(scopes) ? scopes.map(String) : undefined);
      },
    );
  });
}

/**
 * The scopes to register the app with: `--scopes`, else package.json's `b24kit.scopes`, else
 * `manifest.scopes` exported by `b24kit.manifest` (default src/app.ts).
 */
export async function appScopes(appDir: string, option: string | undefined): Promise<string[]> {
  if (option) return option.split(/[,\s]+/).filter(Boolean);
  const settings = readPackageJson(appDir).b24kit ?? {};
  if (Array.isArray(settings.scopes)) return settings.scopes.map(String);
  const module = settings.manifest ?? "src/app.ts";
  const scopes = existsSync(resolve(appDir, module)) ? await manifestScopes(appDir, module) : undefined;
  if (scopes) return scopes;
  throw new Error(
    `cannot tell the app's scopes: export \`manifest\` from ${module}, name its module in package.json ` +
      `("b24kit": {"manifest": "src/…"}), list them there ("b24kit": {"scopes": ["crm"]}) or pass --scopes crm,placement`,
  );
}
