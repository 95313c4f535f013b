import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const start = fileURLToPath(new URL("../bin/start.js", import.meta.url));

export interface ReadyLine {
  ready: true;
  portalUrl: string;
  appUrl: string;
  emulatorUrl: string;
  caFile: string;
  memberId: string;
  clientId: string;
  controlUrl: string;
  adminWebhookUrl: string;
}

export interface StartedReferenceApp {
  child: ChildProcess;
  ready: ReadyLine;
  /** What it wrote on stderr until now (the next-steps block, errors). */
  stderr: () => string;
  /** Resolves with the exit code once it has stopped. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A folder of its own for `npm start`'s state (emulator, app database, demo.json). */
export function demoDir(): string {
  return mkdtempSync(join(tmpdir(), "b24kit-demo-"));
}

/**
 * `npm start`'s own script, as a user runs it: free ports unless given, its
 * state in `dir`. Resolves with the process and the parsed ready line.
 */
export async function startReferenceApp(
  options: { dir?: string; port?: number; emulatorPort?: number } = {},
): Promise<StartedReferenceApp> {
  const child = spawn(process.execPath, [start], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      B24KIT_EMULATOR_PORT: String(options.emulatorPort ?? 0),
      B24KIT_HOME: `${process.env.B24KIT_TEST_CA_DIR}/..`,
      B24KIT_DEMO_DIR: options.dir ?? demoDir(),
    },
  });
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    void exited.then((code) => reject(new Error(`npm start exited with ${code}: ${err}`)));
  });
  return {
    child,
    ready: JSON.parse(line) as ReadyLine,
    stderr: () => err,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
