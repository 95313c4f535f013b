import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * What `b24kit dev` keeps in .b24kit/dev.json between runs, so that a restart finds the same
 * registration, the same keys (the app can still read the tokens it sealed) and the same ports.
 */
export interface DevState {
  /** AES-256 key for the app's tokens at rest (base64, 32 bytes). */
  encryptionKey: string;
  sessionSecret: string;
  clientId?: string;
  clientSecret?: string;
  /** What the registration was made with: a change means a new registration. */
  appUrl?: string;
  scopes?: string[];
  /** The ports of the last run, tried first when the options say 0. */
  appPort?: number;
  emulatorPort?: number;
}

export function loadDevState(file: string): DevState {
  let saved: Partial<DevState> = {};
  if (existsSync(file)) {
    try {
      saved = JSON.parse(readFileSync(file, "utf8")) as Partial<DevState>;
    } catch (error) {
      throw new Error(
        `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix or delete it`,
      );
    }
  }
  return {
    ...saved,
    encryptionKey: saved.encryptionKey ?? randomBytes(32).toString("base64"),
    sessionSecret: saved.sessionSecret ?? randomBytes(32).toString("hex"),
  };
}

/** Written readable by its owner only: it holds the app's development secrets. */
export function saveDevState(file: string, state: DevState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
