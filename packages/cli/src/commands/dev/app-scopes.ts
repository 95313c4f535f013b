import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readPackageJson } from "./package-settings.js";

/** Reads `manifest.scopes` of the module (run by importInChild). */
const PRINT_SCOPES = `
const manifest = m.manifest ?? m.default?.manifest;
return manifest?.scopes ?? null;
`;

/** Precedes the child's answer on its stdout. */
const RESULT_MARK = "@@b24kit-result@@";

/**
 * Imports an app's module in a short child process (through tsx for TypeScript), so that this
 * process never loads the app's code, and resolves what `body` returns (JSON). `body` is the body of
 * an async function with the module as `m`; `env` adds to the child's environment.
 */
export function importInChild<T>(
  appDir: string,
  module: string,
  body: string,
  env: Record<string, string> = {},
): Promise<T> {
  const file = resolve(appDir, module);
  const loader = /\.[cm]?tsx?$/.test(file) ? ["--import", "tsx"] : [];
  const script = `const m = await import(process.env.B24KIT_APP_MODULE);
const out = await (async () => {${body}})();
process.stdout.write("\\n${RESULT_MARK}" + JSON.stringify(out ?? null));`;
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [...loader, "--input-type=module", "-e", script],
      {
        cwd: appDir,
        env: { ...process.env, ...env, B24KIT_APP_MODULE: pathToFileURL(file).href },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          fail(new Error(`cannot read ${module}: ${stderr.trim() || error.message}`));
          return;
        }
        // The module may print while it loads: the answer is what follows the last mark.
        const at = stdout.lastIndexOf(RESULT_MARK);
        try {
          done(JSON.parse(at < 0 ? "null" : stdout.slice(at + RESULT_MARK.length)) as T);
        } catch {
          fail(new Error(`cannot read ${module}: its exports are not JSON: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

async function manifestScopes(appDir: string, module: string): Promise<string[] | undefined> {
  const scopes = await importInChild<unknown>(appDir, module, PRINT_SCOPES).catch((error: Error) => {
    throw new Error(error.message.replace(/^cannot read /, "cannot read the manifest from "));
  });
  return Array.isArray(scopes) ? scopes.map(String) : undefined;
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
