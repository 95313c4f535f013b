#!/usr/bin/env node
// `npm test`: lint, the import-cycle check, type-check (build, then the tests themselves), then every
// vitest test in the workspace.
// Ends with a plain "N passed, N failed" line read from vitest's JSON report,
// because CI only understands that closing line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
mkdirSync(join(root, ".test-output"), { recursive: true });

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  return r.status ?? 1;
}

if (run("npx", ["biome", "check", "."]) !== 0) {
  console.log("lint failed: run `npm run format` to fix formatting, then fix the remaining findings");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// No import cycles in any package (madge reads the TypeScript sources, type imports included).
const sources = [
  "packages/rest/src",
  "packages/emulator/src",
  "packages/app/src",
  "packages/cli/src",
  "examples/deal-insights/src",
];
if (
  run("npx", [
    "madge",
    "--circular",
    "--no-spinner",
    "--extensions",
    "ts",
    "--ts-config",
    "tsconfig.base.json",
    ...sources,
  ]) !== 0
) {
  console.log("import cycle found: see the list above; move the shared contract to the lower layer");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
if (run("npx", ["tsc", "-b"]) !== 0 || run("npx", ["tsc", "-p", "tsconfig.tests.json"]) !== 0) {
  console.log("type-check failed");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
/** One vitest run; returns its exit code and the counts from its JSON report. */
function vitest(args, name) {
  const file = join(root, ".test-output", `vitest-${name}.json`);
  rmSync(file, { force: true });
  const code = run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${file}`,
    ...args,
  ]);
  if (!existsSync(file)) return { code, passed: 0, failed: code !== 0 ? 1 : 0 };
  const json = JSON.parse(readFileSync(file, "utf8"));
  const failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTests ?? 0);
  // A suite that crashed before counting still fails the run.
  return { code, passed: json.numPassedTests ?? 0, failed: code !== 0 && failed === 0 ? 1 : failed };
}

// Real-time tests of rates, latencies and event-loop stalls run on their own, one file at a time,
// after the rest: on a 2-core machine other test files would starve what they measure. The rest run
// two files at a time (vitest's default on 2 cores is one): most of them wait on sockets, browsers
// and child processes, not on the CPU. Extra arguments mean one run as asked.
const extra = process.argv.slice(2);
/** Path prefixes (vitest filters) of the real-time files; the main run excludes the same as globs. */
const REAL_TIME = [
  "packages/rest/test/multi-process.test.ts",
  "packages/app/test/events-cluster.test.ts",
  "bench/test/",
];
const runs =
  extra.length > 0
    ? [vitest(extra, "selected")]
    : [
        vitest(
          ["--maxWorkers=2", ...REAL_TIME.flatMap((f) => ["--exclude", f.endsWith("/") ? `${f}**` : f])],
          "main",
        ),
        vitest(["--maxWorkers=1", ...REAL_TIME], "real-time"),
      ];
const code = runs.some((r) => r.code !== 0) ? 1 : 0;
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
