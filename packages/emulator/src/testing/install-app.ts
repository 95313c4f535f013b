import type { EmulatorHandle } from "../emulator.js";
import type { AppRegistration, AuthData, InstalledApp, PlacementRequest } from "./control-types.js";
import { control } from "./emulator-control.js";

/** Registers an app as a vendor would and installs it on the portal as its admin, headless. */
export async function installApp(
  emu: EmulatorHandle,
  memberId: string,
  registration: AppRegistration = { scopes: ["crm", "user", "task", "disk", "placement"] },
): Promise<InstalledApp> {
  const api = control(emu);
  const app = await api.registerApp(registration);
  const installed = await api.install(memberId, app.clientId);
  return { ...installed, clientId: app.clientId, clientSecret: app.clientSecret };
}

/** The OAuth data an installed app gets for `userId` (what a frame of that user is handed). */
export function userToken(
  emu: EmulatorHandle,
  memberId: string,
  clientId: string,
  userId = 1,
): Promise<AuthData> {
  return control(emu).tokens(memberId, clientId, userId);
}

/**
 * Opens a placement as `userId` would: asks the portal for its request and sends
 * it to the app's handler exactly so (a form POST, or a plain GET for the few
 * placements opened that way). Resolves with the request and the handler's answer.
 */
export async function openPlacement(
  emu: EmulatorHandle,
  memberId: string,
  open: {
    clientId: string;
    placement: string;
    options?: Record<string, unknown>;
    userId?: number;
    uri?: string;
  },
): Promise<{ request: PlacementRequest; response: Response }> {
  const request = await control(emu).openPlacement(memberId, open);
  const response = await fetch(request.url, {
    method: request.method,
    ...(request.method === "POST"
      ? {
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(request.fields).toString(),
        }
      : {}),
  });
  return { request, response };
}

/**
 * Opens the app's page as `userId` would (the installer, for an admin while the
 * install is unfinished): asks the portal for its request and POSTs it to the app.
 */
export async function openApp(
  emu: EmulatorHandle,
  memberId: string,
  open: { clientId: string; userId?: number; options?: Record<string, unknown> },
): Promise<{ request: PlacementRequest & { install: boolean }; response: Response }> {
  const { clientId, ...rest } = open;
  const request = await control(emu).openApp(memberId, clientId, rest);
  const response = await fetch(request.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(request.fields).toString(),
  });
  return { request, response };
}
