import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type AppStore, storeFromUrl } from "@b24kit/app";
import { type EmulatorHandle, startEmulator } from "@b24kit/emulator";
import { type AppProcess, startAppProcess, waitForHealth } from "../dev/app-process.js";
import { appScopes, importInChild } from "../dev/app-scopes.js";
import { readPackageJson } from "../dev/package-settings.js";
import { choosePort } from "../dev/ports.js";
import { ensureRegistered } from "../dev/register-app.js";
import { devEnv } from "../dev/run-dev.js";
import { defaultScenarios, type ManifestOutline, parseScenarios, type Scenario } from "./scenarios.js";

export interface AppUnderTestOptions {
  appDir: string;
  entry?: string;
  scopes?: string;
  caDir?: string;
  /** The app's output to this process's stderr (default: to a log file, shown when the app fails to start). */
  appOutputToStderr?: boolean;
}

/** The app's emulator, its one process serving every cell's portal, and its store (read-only use). */
export interface AppUnderTest {
  emulator: EmulatorHandle;
  appUrl: string;
  clientId: string;
  name: string;
  scenarios: Scenario[];
  /** The manifest's `requires` names automation (a `bizproc.*` method or the `bizproc` feature). */
  requiresAutomation: boolean;
  /** The app's own store (B24KIT_DATABASE_URL of its process), for its audit log and `ctx.kv`. */
  store: AppStore;
  databaseUrl: string;
  /** Stops the app's process (it flushes its audit log); the store and the emulator stay. */
  stopApp(): Promise<void>;
  /** Stops everything and removes the temporary folder. */
  stop(): Promise<void>;
}

/** Reads the app's `manifest` and `scenarios` in a child process (the app's code never loads here). */
const READ_APP = `
const manifestModule = process.env.B24KIT_MANIFEST_MODULE ? await import(process.env.B24KIT_MANIFEST_MODULE) : m;
const manifest = manifestModule.manifest ?? manifestModule.default?.manifest ?? null;
const scenarios = m.scenarios ?? m.default?.scenarios ?? (Array.isArray(m.default) ? m.default : null);
return { manifest: manifest && JSON.parse(JSON.stringify(manifest)), scenarios };
`;

/** Does the manifest's `requires` name automation: a `bizproc.*` method or a `bizproc` feature? */
function requiresAutomation(manifest: ManifestOutline | null | undefined): boolean {
  const requires = manifest?.requires;
  return (
    (requires?.methods ?? []).some((m) => m.toLowerCase().startsWith("bizproc.")) ||
    (requires?.features ?? []).some((f) => f.toLowerCase().startsWith("bizproc"))
  );
}

async function readScenarios(
  appDir: string,
): Promise<{ scenarios: Scenario[]; requiresAutomation: boolean }> {
  const settings = readPackageJson(appDir).b24kit ?? {};
  const manifestModule = settings.manifest ?? "src/app.ts";
  const hasManifest = existsSync(resolve(appDir, manifestModule));
  const module = settings.matrix;
  if (module && !existsSync(resolve(appDir, module)))
    throw new Error(
      `package.json names "b24kit": {"matrix": "${module}"}, which does not exist in ${appDir}`,
    );
  const target = module ?? (hasManifest ? manifestModule : undefined);
  if (!target) return { scenarios: defaultScenarios(undefined), requiresAutomation: false };
  const read = await importInChild<{ manifest: ManifestOutline | null; scenarios: unknown }>(
    appDir,
    target,
    READ_APP,
    hasManifest ? { B24KIT_MANIFEST_MODULE: pathToFileURL(resolve(appDir, manifestModule)).href } : {},
  );
  const scenarios =
    module && read.scenarios !== null
      ? parseScenarios(read.scenarios, module)
      : defaultScenarios(read.manifest ?? undefined);
  return { scenarios, requiresAutomation: requiresAutomation(read.manifest) };
}

/**
 * Starts what every cell shares, the way `b24kit dev` does: the emulator in this process (in memory),
 * the app registered as a marketplace app with its manifest's scopes, and its server entry in one
 * process (multi-tenant: every cell is a portal of its own) with the development environment, plus
 * B24KIT_DATABASE_URL (and B24KIT_QUEUE_FILE) in a temporary folder, so that the matrix can read the
 * app's audit log and store.
 */
export async function startAppUnderTest(options: AppUnderTestOptions): Promise<AppUnderTest> {
  const { appDir } = options;
  const settings = readPackageJson(appDir).b24kit ?? {};
  const entry = options.entry ?? settings.entry ?? "src/server.ts";
  if (!existsSync(resolve(appDir, entry)))
    throw new Error(
      `no ${entry} in ${appDir}: pass --entry FILE, or name the server entry in package.json ("b24kit": {"entry": "…"})`,
    );
  const name = readPackageJson(appDir).name ?? basename(appDir);
  const scopesRead = appScopes(appDir, options.scopes);
  const scenariosRead = readScenarios(appDir);
  scopesRead.catch(() => {});
  scenariosRead.catch(() => {});

  const dataDir = mkdtempSync(join(tmpdir(), "b24kit-matrix-"));
  const databaseUrl = `sqlite:${join(dataDir, "app.db")}`;
  let emulator: EmulatorHandle | undefined;
  let app: AppProcess | undefined;
  let store: AppStore | undefined;
  const stop = async () => {
    await app?.stop();
    await store?.close().catch(() => {});
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    emulator = await startEmulator({ port: 0, ...(options.caDir ? { caDir: options.caDir } : {}) });
    const [scopes, { scenarios, requiresAutomation }] = await Promise.all([scopesRead, scenariosRead]);
    const appPort = await choosePort(0, undefined, "the app");
    const appUrl = `http://127.0.0.1:${appPort}/`;
    const keys = {
      encryptionKey: randomBytes(32).toString("base64"),
      sessionSecret: randomBytes(32).toString("hex"),
    };
    const registered = await ensureRegistered(emulator, keys, { appUrl, scopes, name });
    const logFile = join(dataDir, "app.log");
    const log = options.appOutputToStderr ? undefined : openSync(logFile, "a");
    app = startAppProcess({
      entry,
      cwd: appDir,
      env: {
        ...devEnv(emulator, { appUrl, appPort, name, ...keys, ...registered }),
        B24KIT_DATABASE_URL: databaseUrl,
        B24KIT_QUEUE_FILE: join(dataDir, "queue.db"),
      },
      watch: false,
      ...(log !== undefined ? { output: log } : {}),
    });
    if (log !== undefined) closeSync(log); // the child has its own copy
    await waitForHealth(appUrl, app).catch((error: Error) => {
      const tail = log === undefined ? "" : readFileSync(logFile, "utf8").slice(-3000).trim();
      throw new Error(
        `${error.message.replace(/: see its output above$/, "")}${tail ? `\n--- the app's output ---\n${tail}` : ""}`,
      );
    });
    store = await storeFromUrl(databaseUrl);
    const running = app;
    return {
      emulator,
      appUrl,
      clientId: registered.clientId,
      name,
      scenarios,
      requiresAutomation,
      store,
      databaseUrl,
      stopApp: () => running.stop(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
