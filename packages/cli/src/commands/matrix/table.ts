import type { MatrixReport, Verdict } from "./results.js";

const WORD: Record<Verdict, string> = { works: "works", degrades: "degrades", fails: "FAILS", skipped: "—" };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function short(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The matrix as a text table: one row a cell, one column a scenario, then the cell's verdict; below
 * it, why each cell that does not simply work has its verdict.
 */
export function formatMatrixTable(report: MatrixReport): string {
  const headers = ["cell", ...report.scenarios.map((s) => short(s.name, 16)), "verdict"];
  const rows = report.cells.map((c) => [
    c.label,
    ...report.scenarios.map((s) => {
      const r = c.scenarios.find((x) => x.name === s.name);
      return r ? WORD[r.verdict] : c.verdict === "fails" ? "not run" : "—";
    }),
    WORD[c.verdict],
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  const notes = report.cells.filter((c) => c.verdict === "fails" || c.verdict === "degrades");
  if (notes.length > 0) out.push("");
  for (const c of notes) out.push(`${WORD[c.verdict]}  ${c.label}: ${short(c.reason, 400)}`);
  const count = (v: Verdict) => report.cells.filter((c) => c.verdict === v).length;
  out.push(
    "",
    `${report.cells.length} cells in ${(report.durationMs / 1000).toFixed(1)} s: ${count("works")} work, ${count("degrades")} degrade with a message, ${count("fails")} fail`,
  );
  return `${out.join("\n")}\n`;
}
