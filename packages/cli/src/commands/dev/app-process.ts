import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface AppProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs the app's entry with Node: through tsx for TypeScript, under `node --watch` (restarts on a
 * change of any file it imported) unless `watch` is false. Its output goes to this process's stderr
 * (so that stdout carries only the ready line), or to the file descriptor `output`.
 */
export function startAppProcess(options: {
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  watch: boolean;
  output?: number;
}): AppProcess {
  const args = [
    ...(options.watch ? ["--watch"] : []),
    ...(/\.[cm]?tsx?$/.test(options.entry) ? ["--import", "tsx"] : []),
    options.entry,
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", options.output ?? 2, options.output ?? 2],
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return {
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const gone = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!gone) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Polls `GET {appUrl}healthz` until it answers 200; fails when the process exits or time is up. */
export async function waitForHealth(appUrl: string, app: AppProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | string | undefined;
  void app.exited.then((code) => {
    exit = code;
  });
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exit !== undefined)
      throw new Error(`the app exited (${exit}) before it answered ${appUrl}healthz: see its output above`);
    try {
      const res = await fetch(`${appUrl}healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`the app did not answer ${appUrl}healthz within ${timeoutMs / 1000} s (last: ${last})`);
}
