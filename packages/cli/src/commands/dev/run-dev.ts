import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type EmulatorHandle, startEmulator } from "@b24kit/emulator";
import { type AppProcess, startAppProcess, waitForHealth } from "./app-process.js";
import { appScopes } from "./app-scopes.js";
import { loadDevState, saveDevState } from "./dev-state.js";
import { readPackageJson } from "./package-settings.js";
import { choosePort } from "./ports.js";
import { ensureInstalled, ensureRegistered } from "./register-app.js";
import { DEV_SEED, seedIfEmpty } from "./seed-portal.js";

export interface DevOptions {
  entry: string;
  port: number;
  emulatorPort: number;
  watch: boolean;
  state: string;
  scopes?: string;
  caDir?: string;
}

/** Where `b24kit dev` keeps what must survive a restart, inside the app's folder. */
export const DEV_DIR = ".b24kit";

/** One `b24kit dev` run: `start()` brings everything up; `stop()` (any time, also during start) takes it down. */
export interface DevSession {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `b24kit dev` in the app's folder (the working directory): the emulator in this process, the app
 * registered and its entry running with the development environment, the app installed on the
 * default portal, the ready line (contracts.md) on stdout. When the app's process ends on its own,
 * the emulator is stopped and `onExit(1)` is called.
 */
export function devSession(options: DevOptions, onExit: (code: number) => void): DevSession {
  let emulator: EmulatorHandle | undefined;
  let app: AppProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app?.stop();
      await emulator?.close();
    })();
    return stopping;
  };
  const stopped = () => stopping !== undefined;

  const start = async () => {
    const appDir = process.cwd();
    const entry = resolve(appDir, options.entry);
    if (!existsSync(entry))
      throw new Error(
        `no ${options.entry} in ${appDir}: run b24kit dev in the app's folder, or pass --entry FILE`,
      );
    // package.json's "b24kit" settings are checked before anything is written or started.
    const name = readPackageJson(appDir).name ?? basename(appDir);
    const stateFile = join(appDir, DEV_DIR, "dev.json");
    const state = loadDevState(stateFile);
    saveDevState(stateFile, state); // the keys exist from the first run on
    // Reading the manifest takes a Node process of its own: meanwhile the emulator starts.
    const scopesRead = appScopes(appDir, options.scopes);
    scopesRead.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

    const emulatorStateFile = resolve(appDir, options.state);
    mkdirSync(dirname(emulatorStateFile), { recursive: true });
    const emulatorPort = await choosePort(
      options.emulatorPort,
      state.emulatorPort,
      "the emulator, --emulator-port",
    );
    if (stopped()) return;
    emulator = await startEmulator({
      port: emulatorPort,
      stateFile: emulatorStateFile,
      ...(options.caDir ? { caDir: options.caDir } : {}),
    });
    if (stopped()) return void (await emulator.close());
    const scopes = await scopesRead;
    const appPort = await choosePort(options.port, state.appPort, "the app, --port");
    const appUrl = `http://127.0.0.1:${appPort}/`;
    const registered = await ensureRegistered(emulator, state, { appUrl, scopes, name });
    Object.assign(state, {
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      appUrl,
      scopes,
      appPort,
      emulatorPort: Number(new URL(emulator.url).port),
    });
    saveDevState(stateFile, state);
    if (stopped()) return;

    app = startAppProcess({
      entry: options.entry,
      cwd: appDir,
      env: devEnv(emulator, { appUrl, appPort, name, ...state, ...registered }),
      watch: options.watch,
    });
    const running = emulator;
    void app.exited.then(async (code) => {
      // Ctrl-C in a terminal reaches the app too: give this process's own SIGINT handler its turn first.
      await sleep(250);
      if (stopped()) return;
      process.stderr.write(`b24kit dev: the app exited (${code}); stopping the emulator\n`);
      stopping = running.close();
      await stopping;
      onExit(1);
    });
    await waitForHealth(appUrl, app);
    if (stopped()) return;
    const memberId = String(emulator.portals[0]?.memberId); // the default portal comes first
    if (await seedIfEmpty(emulator, memberId).catch(() => false))
      process.stderr.write(
        `b24kit dev: the portal had no deals; added ${DEV_SEED.deals} with contacts and companies\n`,
      );
    await ensureInstalled(emulator, memberId, registered.clientId);
    if (stopped()) return;
    process.stdout.write(`${emulator.appReadyLine({ appUrl, clientId: registered.clientId, memberId })}\n`);
  };
  return { start, stop };
}

/**
 * The app's environment under `b24kit dev` (and `b24kit matrix`): its configuration (packages/app README)
 * against the emulator.
 */
export function devEnv(
  emulator: EmulatorHandle,
  app: {
    appUrl: string;
    appPort: number;
    name: string;
    clientId: string;
    clientSecret: string;
    encryptionKey: string;
    sessionSecret: string;
  },
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(app.appPort),
    B24KIT_APP_NAME: app.name,
    B24KIT_PUBLIC_URL: app.appUrl,
    B24KIT_CLIENT_ID: app.clientId,
    B24KIT_CLIENT_SECRET: app.clientSecret,
    B24KIT_OAUTH_SERVER: emulator.authUrl,
    B24KIT_ENCRYPTION_KEYS: `dev:${app.encryptionKey}`,
    B24KIT_ENCRYPTION_KEY_ID: "dev",
    B24KIT_SESSION_SECRET: app.sessionSecret,
    ...(emulator.caFile ? { NODE_EXTRA_CA_CERTS: emulator.caFile } : {}),
  };
}
