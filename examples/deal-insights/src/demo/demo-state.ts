import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What `npm start` must remember between runs, beside the emulator's and the
 * app's SQLite files: the app's registration and the keys its tokens are
 * sealed with (new keys would make the stored tokens unreadable).
 */
export interface DemoState {
  encryptionKey: string;
  sessionSecret: string;
  app?: { clientId: string; clientSecret: string; appUrl: string };
  /** The second portal: a plan without CRM. */
  noCrmMemberId?: string;
}

const FILE = "demo.json";

export function loadDemoState(dir: string): DemoState {
  const file = join(dir, FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoState;
  return {
    encryptionKey: randomBytes(32).toString("base64"),
    sessionSecret: randomBytes(32).toString("hex"),
  };
}

/** Written owner-only: it holds the app's secret and its encryption key. */
export function saveDemoState(dir: string, state: DemoState): void {
  writeFileSync(join(dir, FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
