import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MatrixReport } from "../src/commands/matrix/results.js";
import { bin } from "./helpers.js";

/** Where the matrix tests leave their reports (kept after the run, like the browser tests' screenshots). */
export const outputDir = resolve(import.meta.dirname, "..", "..", "..", ".test-output", "matrix");

export interface MatrixRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  report: MatrixReport;
  html: string;
  htmlFile: string;
}

/** `b24kit matrix` as a user runs it (the committed bin), with the test CA; resolves when it exits. */
export async function runMatrixCli(name: string, args: string[]): Promise<MatrixRunResult> {
  const htmlFile = join(outputDir, `${name}.html`);
  const jsonFile = join(outputDir, `${name}.json`);
  const child = spawn(
    process.execPath,
    [
      bin,
      "matrix",
      ...args,
      "--out",
      htmlFile,
      "--json",
      jsonFile,
      "--ca-dir",
      process.env.B24KIT_TEST_CA_DIR!,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  let report: MatrixReport;
  try {
    report = JSON.parse(readFileSync(jsonFile, "utf8")) as MatrixReport;
  } catch {
    throw new Error(`b24kit matrix exited ${code} without a report\n${stdout}\n${stderr}`);
  }
  return { code, stdout, stderr, report, html: readFileSync(htmlFile, "utf8"), htmlFile };
}
