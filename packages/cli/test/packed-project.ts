import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
 *
 * Two shortcuts keep this fast on a 2-core machine, neither of which changes what is being tested (our
 * tarballs and the dependency versions they ask for):
 * - `--prefer-offline`: dependencies come from npm's cache, which the workspace's own install filled;
 *   the registry is asked only for what the cache lacks, with short timeouts, so an unreachable registry
 *   fails the install in seconds with npm's message instead of hanging.
 * - `--ignore-scripts`: better-sqlite3's install script would compile it from source (about 70 s here,
 *   as no prebuilt binary can be downloaded). The workspace has already compiled the same version for
 *   the same Node, so its binary is copied in (checked: same version). No other dependency needs its
 *   script (msgpackr-extract is an optional speed-up that msgpackr does without).
 */
export async function installTarballs(dir: string, tarballs: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "packed-install-check", private: true, type: "module" }, null, 2)}\n`,
  );
  const flags = ["--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"];
  const network = ["--fetch-retries=1", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=3000"];
  await run("npm", ["install", ...flags, ...network, "--fetch-timeout=20000", ...tarballs], {
    cwd: dir,
    timeoutMs: 90_000,
    hint: "the tarballs' dependencies come from npm's cache or the registry: is the registry (`npm config get registry`) reachable?",
  });
  copyNativeSqlite(dir);
}

function versionOf(packageDir: string): string {
  return (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
}

/** Puts the workspace's compiled better-sqlite3 binary where the project's copy looks for it. */
function copyNativeSqlite(dir: string): void {
  const ours = join(root, "node_modules", "better-sqlite3");
  const theirs = join(dir, "node_modules", "better-sqlite3");
  if (versionOf(ours) !== versionOf(theirs))
    throw new Error(
      `the packages ask for better-sqlite3 ${versionOf(theirs)} but the workspace has ${versionOf(ours)}: run npm install in the workspace`,
    );
  const binary = join("build", "Release", "better_sqlite3.node");
  if (!existsSync(join(ours, binary)))
    throw new Error(
      `the workspace's better-sqlite3 is not built (${join(ours, binary)}): run npm rebuild better-sqlite3`,
    );
  mkdirSync(join(theirs, "build", "Release"), { recursive: true });
  copyFileSync(join(ours, binary), join(theirs, binary));
}
