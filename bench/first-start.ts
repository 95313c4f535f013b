// bench/first-start: a newcomer's first minutes — from a fresh clone of this repository to the
// ready line of `npm start`, timed in steps: `git clone`, `npm install` (which builds the
// workspace), `npm start` until its ready line. The goal: under 90 s in all. The baseline,
// measured in the same run, is `npm install` of the same clone again (dependencies already in
// place): what the machine needs to merely run npm and the build, so the ratio shows how much
// of the wait is ours.
//
//   npm run bench:first-start                 # npm's own cache (a developer machine)
//   npm run bench:first-start -- --cold       # an empty npm cache: every package downloaded
import { type ChildProcess, spawn } from "node:child_process";
import { Console } from "node:console";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const COLD = process.argv.includes("--cold");
const TARGET_S = 90;
const log = new Console(process.stderr);
const repo = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "b24kit-first-start-"));
const clone = join(work, "b24kit");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  // A home of its own: a fresh CA, no state from earlier runs.
  B24KIT_HOME: join(work, "home"),
  PORT: "0",
  B24KIT_EMULATOR_PORT: "0",
  ...(COLD ? { npm_config_cache: join(work, "npm-cache") } : {}),
};

function run(command: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) =>
      code === 0
        ? done((performance.now() - started) / 1000)
        : fail(new Error(`${command} ${args.join(" ")} exited ${code}\n${err.slice(-2000)}`)),
    );
  });
}

/** `npm start` until its ready line; the process keeps running until stopped. */
function startUntilReady(cwd: string): Promise<{ seconds: number; child: ChildProcess }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn("npm", ["start", "--silent"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith('{"ready":true')) done({ seconds: (performance.now() - started) / 1000, child });
    });
    child.once("exit", (code) => fail(new Error(`npm start exited ${code}\n${err.slice(-2000)}`)));
  });
}

const round = (n: number) => Math.round(n * 10) / 10;

try {
  log.error(`first start from a fresh clone (${COLD ? "empty npm cache" : "npm's cache"}) in ${work}`);
  const cloneS = await run("git", ["clone", "-q", repo, clone], work);
  const installS = await run("npm", ["install", "--no-audit", "--no-fund"], clone);
  const { seconds: startS, child } = await startUntilReady(clone);
  process.kill(-child.pid!, "SIGINT");
  await new Promise((done) => child.once("exit", done));
  const baselineS = await run("npm", ["install", "--no-audit", "--no-fund"], clone);
  const totalS = cloneS + installS + startS;
  const result = {
    cold: COLD,
    cloneS: round(cloneS),
    installS: round(installS),
    startS: round(startS),
    totalS: round(totalS),
    targetS: TARGET_S,
    meetsTarget: totalS < TARGET_S,
    baselineInstallS: round(baselineS),
    installVsBaseline: round(installS / baselineS),
  };
  log.table([result]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
