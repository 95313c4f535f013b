import { spawn } from "node:child_process";
import { join } from "node:path";
import { bin } from "./helpers.js";

// `b24kit call` in a child process, the built command as users run it (npm test builds first; from
// sources through tsx each run took seconds more): exit code, stdout, stderr. (The emulator runs in
// the test's process, so the child must be spawned asynchronously.)

const root = join(import.meta.dirname, "..", "..", "..");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `b24kit call …`; `env` adds to (or, with undefined values, removes from) the test's environment. */
export function b24kitCall(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const merged: NodeJS.ProcessEnv = { ...process.env, B24KIT_WEBHOOK_URL: "", B24KIT_DATABASE_URL: "" };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "call", ...args], {
      cwd: root,
      env: merged,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The secret part of a webhook URL (`/rest/1/<code>/`). */
export function webhookCode(url: string): string {
  return /\/rest\/\d+\/([^/]+)\//.exec(url)![1]!;
}
