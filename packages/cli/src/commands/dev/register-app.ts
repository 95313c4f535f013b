import type { EmulatorHandle } from "@b24kit/emulator";
import type { DevState } from "./dev-state.js";

/**
 * The app's registration with the emulator, as a vendor's: a marketplace app (`local: false`) whose
 * URL is its page and its installer. The one of the last run is kept while the emulator still knows
 * it and neither the URL nor the scopes changed; otherwise a new one is made. Returns whether it is new.
 */
export async function ensureRegistered(
  emulator: EmulatorHandle,
  state: DevState,
  app: { appUrl: string; scopes: string[]; name: string },
): Promise<{ clientId: string; clientSecret: string; fresh: boolean }> {
  const known = state.clientId !== undefined && (await isRegistered(emulator, state.clientId));
  const same =
    known &&
    state.clientSecret !== undefined &&
    state.appUrl === app.appUrl &&
    JSON.stringify(state.scopes) === JSON.stringify(app.scopes);
  if (same) return { clientId: state.clientId!, clientSecret: state.clientSecret!, fresh: false };
  if (known)
    process.stderr.write(
      `b24kit dev: the app's ${state.appUrl === app.appUrl ? "scopes" : "URL"} changed since the last run: registering it anew\n`,
    );
  const registered = await emulator.control<{ clientId: string; clientSecret: string }>("POST", "apps", {
    name: app.name,
    scopes: app.scopes,
    appUrl: app.appUrl,
    installUrl: app.appUrl,
    local: false,
  });
  return { ...registered, fresh: true };
}

/** Whether the emulator still has this registration (the control API's `GET apps/{clientId}`). */
export async function isRegistered(emulator: EmulatorHandle, clientId: string): Promise<boolean> {
  return (await emulator.controlExchange("GET", `apps/${encodeURIComponent(clientId)}`)).status === 200;
}

interface OpenRequest {
  url: string;
  method: string;
  fields: Record<string, string>;
  install: boolean;
}

/**
 * Installs the app on the portal as its admin would, headless: the portal's install, the installer
 * page POSTed to the app (which stores the portal and applies its manifest), then what the page's
 * `installFinish()` does. Nothing when the app is installed there already.
 */
export async function ensureInstalled(
  emulator: EmulatorHandle,
  memberId: string,
  clientId: string,
): Promise<"installed" | "kept"> {
  const path = `portals/${memberId}/apps/${clientId}`;
  const before = await emulator.control<{ installed: boolean }>("GET", path);
  if (before.installed) return "kept";
  await emulator.control("POST", `portals/${memberId}/install`, { clientId });
  const installer = await emulator.control<OpenRequest>("POST", `${path}/open`, {});
  const res = await fetch(installer.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(installer.fields).toString(),
  });
  if (res.status !== 200)
    throw new Error(
      `the app answered its installer with HTTP ${res.status}: ${(await res.text()).slice(0, 300)} (see its output above)`,
    );
  await emulator.control("POST", `${path}/install-finish`, {});
  await emulator.control("POST", "events/idle", {});
  const after = await emulator.control<{ installed: boolean }>("GET", path);
  if (!after.installed)
    throw new Error(`the portal does not show the app as installed after its installer ran`);
  return "installed";
}
