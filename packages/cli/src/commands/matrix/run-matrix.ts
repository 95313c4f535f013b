import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { startAppUnderTest } from "./app-under-test.js";
import { type Cell, cellLabel } from "./cells.js";
import { matrixHtml } from "./html-report.js";
import { matrixProgress } from "./progress.js";
import type { CellResult, MatrixReport } from "./results.js";
import { attachAudit, runCell } from "./run-cell.js";
import { formatMatrixTable } from "./table.js";

export interface MatrixRun {
  appDir: string;
  cells: Cell[];
  out: string;
  json?: string;
  entry?: string;
  scopes?: string;
  caDir?: string;
  concurrency: number;
  timeoutMs: number;
  /** Only these scenarios (by name). */
  only?: string[];
  appLog?: boolean;
}

/**
 * `b24kit matrix`: the app started once against an in-process emulator, every cell a portal of its
 * own with the app installed, the scenarios run in each (a few cells at a time), then the table on
 * stdout and the HTML report (and JSON) written. Resolves the report.
 */
export async function runMatrix(run: MatrixRun): Promise<MatrixReport> {
  const startedAt = Date.now();
  const app = await startAppUnderTest({
    appDir: run.appDir,
    ...(run.entry ? { entry: run.entry } : {}),
    ...(run.scopes ? { scopes: run.scopes } : {}),
    ...(run.caDir ? { caDir: run.caDir } : {}),
    ...(run.appLog ? { appOutputToStderr: true } : {}),
  });
  try {
    const scenarios = run.only ? app.scenarios.filter((s) => run.only!.includes(s.name)) : app.scenarios;
    if (scenarios.length === 0)
      throw new Error(
        `no scenarios to run (declared: ${app.scenarios.map((s) => s.name).join(", ") || "none"})`,
      );
    const progress = matrixProgress(run.cells.length);
    const results: CellResult[] = new Array(run.cells.length);
    let next = 0;
    const worker = async () => {
      while (next < run.cells.length) {
        const index = next++;
        const cell = run.cells[index]!;
        progress.started(cellLabel(cell));
        results[index] = await runCell(app, cell, scenarios, { timeoutMs: run.timeoutMs });
        progress.finished(results[index]);
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(run.concurrency, run.cells.length)) }, worker),
    );
    progress.end();
    await app.stopApp(); // its audit log is flushed on the way out
    for (const result of results) await attachAudit(app.store, result).catch(() => {});
    const report: MatrixReport = {
      app: app.name,
      startedAt,
      durationMs: Date.now() - startedAt,
      scenarios: scenarios.map((s) => ({ name: s.name, kind: s.kind })),
      cells: results,
    };
    mkdirSync(dirname(run.out), { recursive: true });
    writeFileSync(run.out, matrixHtml(report));
    if (run.json) {
      mkdirSync(dirname(run.json), { recursive: true });
      writeFileSync(run.json, `${JSON.stringify(report, null, 2)}\n`);
    }
    process.stdout.write(formatMatrixTable(report));
    process.stdout.write(`report: ${run.out}\n`);
    return report;
  } finally {
    await app.stop();
  }
}
