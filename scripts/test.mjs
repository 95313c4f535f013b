#!/usr/bin/env node
// `npm test`: lint, the import-cycle check, type-check (build, then the tests themselves), then every
// vitest test in the workspace.
// Ends with a plain "N passed, N failed" line read from vitest's JSON report,
// because CI only understands that closing line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const report = join(root, ".test-output", "vitest.json");
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
const extra = process.argv.slice(2);
const code = run("npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...extra,
]);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTests ?? 0);
  if (code !== 0 && failed === 0) failed = 1; // a suite that crashed before counting
} else if (code !== 0) {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
