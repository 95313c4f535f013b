import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { B24App } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";
import { type EmulatorHandle, startEmulator } from "@b24kit/emulator";
import { createDealInsights } from "./app.js";
import { ensureDealHealthField } from "./demo/deal-health-field.js";
import { loadDemoState, saveDemoState } from "./demo/demo-state.js";
import { DEMO_USERS, seedDemoPortal } from "./demo/seed-demo.js";
import { APP_NAME, MANIFEST } from "./manifest.js";

/**
 * `npm start`: the emulator and Deal insights in one process, the app
 * registered as a marketplace app and installed on the default portal and on a
 * second portal without CRM, demo data on first run, and the ready line of
 * contracts.md. Everything lives in B24KIT_DEMO_DIR (default: data/ beside this
 * package), so a restart keeps the portal, the app's tenants and their tokens.
 */
async function main(): Promise<void> {
  const dir = resolve(process.env.B24KIT_DEMO_DIR ?? fileURLToPath(new URL("../data/", import.meta.url)));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const state = loadDemoState(dir);
  const emulator = await startEmulator({
    port: portFromEnv("B24KIT_EMULATOR_PORT", 8480),
    stateFile: join(dir, "emulator.db"),
  });
  const port = await choosePort(portFromEnv("PORT", 3000));
  const appUrl = `http://127.0.0.1:${port}/`;

  const known = async (path: string) => (await emulator.controlExchange("GET", path)).status === 200;
  const main = emulator.portals[0] as { memberId: string };
  if (state.app && !(await grantsEveryScope(emulator, state.app.clientId))) {
    // Saved by an older version of this app that asked for fewer scopes (robots need bizproc): the
    // portal would refuse what is new, so that app goes and this one is registered afresh.
    await emulator.controlExchange("DELETE", `portals/${main.memberId}/apps/${state.app.clientId}`);
    state.app = undefined;
  }
  if (!state.app || state.app.appUrl !== appUrl || !(await known(`apps/${state.app.clientId}`))) {
    const registered = await emulator.control<{ clientId: string; clientSecret: string }>("POST", "apps", {
      name: APP_NAME,
      scopes: MANIFEST.scopes,
      appUrl,
      // Installed at once, headless: the portal posts ONAPPINSTALL with the tokens to the runtime.
      installHandlerUrl: `${appUrl}b24/install`,
      // A marketplace app: tests create more portals and install the same app on each (contracts.md).
      local: false,
    });
    state.app = { ...registered, appUrl };
  }
  await seedDemoPortal(emulator, main.memberId);
  if (!state.noCrmMemberId || !(await known(`portals/${state.noCrmMemberId}`))) {
    const noCrm = await emulator.control<{ memberId: string }>("POST", "portals", {
      plan: "basic",
      modules: ["tasks", "disk", "im"],
    });
    state.noCrmMemberId = noCrm.memberId;
  }
  saveDemoState(dir, state);

  const store = sqliteStore({ file: join(dir, "app.db") });
  const queue = sqliteJobQueue({ file: join(dir, "queue.db") });
  const app = createDealInsights({
    config: {
      appName: APP_NAME,
      publicUrl: appUrl,
      clientId: state.app.clientId,
      clientSecret: state.app.clientSecret,
      oauthServer: emulator.authUrl,
      encryptionKeys: { demo: state.encryptionKey },
      encryptionKeyId: "demo",
      sessionSecret: state.sessionSecret,
    },
    store,
    queue,
  });
  await app.ready();
  const server = await serve(app, { port });
  for (const memberId of [main.memberId, state.noCrmMemberId]) {
    await installOnce(emulator, app, memberId, state.app.clientId);
  }
  // The demo's field only: a portal that refuses it (an older app state not yet re-applied) still starts.
  await ensureDealHealthField(app, main.memberId).catch((error: unknown) => {
    process.stderr.write(`The Deal health field was not added: ${(error as Error).message}\n`);
  });

  process.stdout.write(
    `${emulator.appReadyLine({ appUrl, clientId: state.app.clientId, memberId: main.memberId })}\n`,
  );
  process.stderr.write(nextSteps(emulator, appUrl));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await app.close();
    await queue.close();
    await store.close();
    await emulator.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Installs the app where it is not installed yet and waits until the runtime has the portal active. */
async function installOnce(emulator: EmulatorHandle, app: B24App, memberId: string, clientId: string) {
  const installation = await emulator.control<{ installed: boolean }>(
    "GET",
    `portals/${memberId}/apps/${clientId}`,
  );
  if (!installation.installed) await emulator.control("POST", `portals/${memberId}/install`, { clientId });
  const deadline = Date.now() + 30_000;
  while ((await app.tenants.get(memberId))?.state !== "active") {
    if (Date.now() > deadline)
      throw new Error(`the app did not become active on portal ${memberId} within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PORT=0 means any free port; the app's URL must be known before it starts (it is in its registration). */
async function choosePort(wanted: number): Promise<number> {
  if (wanted !== 0) return wanted;
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

function nextSteps(emulator: EmulatorHandle, appUrl: string): string {
  const users = DEMO_USERS.map((u) => `${u.NAME} ${u.LAST_NAME}`).join(", ");
  return [
    "",
    `Deal insights is running at ${appUrl} inside the emulated portal ${emulator.url}`,
    `  1. Open ${emulator.url}crm/deal/list/ and a deal: its "Insights" tab is the app.`,
    `     (the browser warns about the certificate unless it trusts ${emulator.caFile})`,
    `  2. Chat with the Insights bot at ${emulator.url}online/ (try /deal 1).`,
    `  3. Switch users with "Acting as" in the top bar: ${users}.`,
    `  4. REST from a terminal: NODE_EXTRA_CA_CERTS=${emulator.caFile} npx b24kit … (see README).`,
    "Ctrl-C stops both.",
    "",
  ].join("\n");
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/** Whether the app registered earlier has every scope the manifest asks for now. */
async function grantsEveryScope(
  emulator: Awaited<ReturnType<typeof startEmulator>>,
  clientId: string,
): Promise<boolean> {
  const reply = await emulator.controlExchange("GET", `apps/${clientId}`);
  if (reply.status !== 200) return true;
  const { scopes } = reply.body as { scopes?: string[] };
  return MANIFEST.scopes.every((scope) => scopes?.includes(scope));
}

/** A port from the environment, or why not in words that name the variable (not Node's "NaN"). */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const port = Number(raw);
  // 0: any free port (the tests start it that way).
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${name} must be a port number from 0 (any free port) to 65535, got "${raw}"`);
  return port;
}
