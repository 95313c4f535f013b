import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace root (this file is packages/cli/test/). */
export const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The workspace's own TypeScript compiler, so the fresh project needs no TypeScript of its own. */
export const tscBin = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");

/** The four publishable packages, in dependency order. */
export const PACKAGES = [
  { name: "@b24kit/rest", folder: "packages/rest" },
  { name: "@b24kit/emulator", folder: "packages/emulator" },
  { name: "@b24kit/app", folder: "packages/app" },
  { name: "b24kit", folder: "packages/cli" },
];

/**
 * The environment of a user's shell: without the npm_* variables that `npm test` exports (an inherited
 * npm_config_prefix or npm_config_local_prefix would point npm back at the workspace) and without
 * NODE_OPTIONS (a test runner's loader hooks have no place in a plain `node` run).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) && !["NODE_OPTIONS", "INIT_CWD"].includes(key),
    ),
  );
  return { ...env, ...extra };
}

/** Runs a command to its end; rejects with its last output lines when it fails or outlasts `timeoutMs`. */
export function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; hint?: string },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? userEnv(),
        timeout: options.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const why = error.killed
          ? `did not finish in ${options.timeoutMs / 1000} s`
          : `exited with ${error.code}`;
        const tail = `${stderr}\n${stdout}`.trim().split("\n").slice(-15).join("\n");
        reject(
          new Error(`\`${cmd} ${args.join(" ")}\` ${why}${options.hint ? `: ${options.hint}` : ""}\n${tail}`),
        );
      },
    );
  });
}

/** `npm pack` of the four packages into `dir`; returns the tarballs' paths. */
export async function packAll(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run(
    "npm",
    ["pack", ...PACKAGES.map((p) => `./${p.folder}`), "--pack-destination", dir, "--json"],
    { cwd: root, timeoutMs: 60_000 },
  );
  const packed = JSON.parse(stdout) as { filename: string }[];
  return packed.map((p) => join(dir, p.filename));
}

/**
 * A fresh project in `dir` with the tarballs installed, as a user outside this repository would have it.
 * `--prefer-offline` keeps this fast on a 2-core machine without changing what is tested (our tarballs
 * and the dependency versions they ask for): dependencies come from npm's cache, which the workspace's
 * own install filled; the registry is asked only for what the cache lacks, with short timeouts, so an
 * unreachable registry fails the install in seconds with npm's message instead of hanging. Install
 * scripts run as they would for the user: none compiles anything (libsql's binary is an npm package).
 */
export async function installTarballs(dir: string, tarballs: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "packed-install-check", private: true, type: "module" }, null, 2)}\n`,
  );
  const flags = ["--prefer-offline", "--no-audit", "--no-fund"];
  const network = ["--fetch-retries=1", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=3000"];
  await run("npm", ["install", ...flags, ...network, "--fetch-timeout=20000", ...tarballs], {
    cwd: dir,
    timeoutMs: 90_000,
    hint: "the tarballs' dependencies come from npm's cache or the registry: is the registry (`npm config get registry`) reachable?",
  });
}
