import type { EmulatorHandle } from "@b24kit/emulator";
import { type AppRegistration, type InstalledApp, installApp } from "@b24kit/emulator/testing";

export interface TestApp {
  clientId: string;
  token: string;
  applicationToken: string;
  install: InstalledApp;
}

/** Registers an app and installs it on the portal (as its admin); the token it was handed, short. */
export async function installTestApp(
  emu: EmulatorHandle,
  memberId: string,
  registration: AppRegistration,
): Promise<TestApp> {
  const install = await installApp(emu, memberId, registration);
  return {
    clientId: install.clientId,
    token: install.auth.access_token,
    applicationToken: install.applicationToken,
    install,
  };
}
