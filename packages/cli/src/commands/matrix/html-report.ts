import type { StoredAuditEntry } from "@b24kit/app";
import type { CellResult, MatrixReport, ScenarioResult, Verdict } from "./results.js";

function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:24px;background:#f6f7f9}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#667}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde1e6;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600;font-size:12px}
.grid td.v{text-align:center;font-weight:600;font-size:12px;min-width:74px}
.grid td.v a{color:inherit;text-decoration:none;display:block}
.works{background:#d8f3d0;color:#1d5a12}.degrades{background:#fff0c2;color:#6d5200}.fails{background:#ffd6d3;color:#8a1510}.skipped{background:#f1f2f4;color:#8a8f98}
.legend span{display:inline-block;padding:2px 8px;border-radius:4px;margin-right:6px;font-size:12px;font-weight:600}
details.cell{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 14px;margin:10px 0}
details.cell>summary{cursor:pointer;font-weight:600}
details.cell>summary .tag{display:inline-block;padding:1px 8px;border-radius:4px;margin-right:8px;font-size:12px}
.calls td,.audit td{font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,monospace}
.audit tr.error td{background:#fff3f2}
pre{white-space:pre-wrap;background:#f3f4f6;padding:8px;border-radius:6px;font-size:12px;max-height:240px;overflow:auto}
</style>`;

const WORD: Record<Verdict, string> = { works: "works", degrades: "degrades", fails: "fails", skipped: "—" };

function tag(verdict: Verdict): string {
  return `<span class="tag ${verdict}">${WORD[verdict]}</span>`;
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

function scenarioRow(s: ScenarioResult): string {
  const calls =
    s.failingCalls.length === 0
      ? ""
      : `<table class="calls"><tr><th>failing call</th><th>HTTP</th><th>error</th><th>at</th></tr>${s.failingCalls
          .map(
            (c) =>
              `<tr><td>${esc(c.method)}</td><td>${esc(c.status ?? "")}</td><td>${esc(c.code ?? "")}</td><td>${time(c.at)}</td></tr>`,
          )
          .join("")}</table>`;
  const notice = s.notice ? `<p><b>Notice shown:</b> ${esc(s.notice)}</p>` : "";
  const answer = s.answer ? `<pre>${esc(s.answer)}</pre>` : "";
  return `<tr class="scenario" data-scenario="${esc(s.name)}" data-verdict="${s.verdict}"><td>${esc(s.name)}<br><span class="muted">${esc(s.kind)}</span></td><td class="${s.verdict}">${WORD[s.verdict]}</td><td>${esc(s.summary)}${notice}${answer}${calls}<span class="muted">${s.endedAt - s.startedAt} ms</span></td></tr>`;
}

function auditTable(lines: StoredAuditEntry[]): string {
  if (lines.length === 0) return `<p class="muted">No audit lines for this portal.</p>`;
  return `<table class="audit"><tr><th>time</th><th>kind</th><th>action</th><th>outcome</th><th>ms</th><th>detail</th></tr>${lines
    .map(
      (l) =>
        `<tr class="${l.outcome === "ok" ? "ok" : "error"}"><td>${time(l.at)}</td><td>${esc(l.kind)}</td><td>${esc(l.action)}</td><td>${esc(l.outcome)}</td><td>${esc(l.durationMs ?? "")}</td><td>${esc(JSON.stringify(l.detail ?? {}).slice(0, 400))}</td></tr>`,
    )
    .join("")}</table>`;
}

function probeSection(probe: CellResult["probe"]): string {
  if (!probe) return `<p class="muted">No capability probe recorded.</p>`;
  const gaps = probe.missing.filter((g) => !g.internal);
  const internal = probe.missing.filter((g) => g.internal);
  const own = internal.length
    ? ` <span class="muted">(the runtime's own probe, which it falls back without: ${internal.map((g) => esc(g.name)).join(", ")})</span>`
    : "";
  if (gaps.length === 0) return `<p><b>Capability probe:</b> nothing the app declares is missing.${own}</p>`;
  return `<p><b>Capability probe:</b> missing ${gaps
    .map((g) => `${esc(g.name)} (${g.required ? "required" : "optional"})`)
    .join(", ")}.${own} The runtime's notice:</p>${probe.noticeHtml}`;
}

function cellSection(c: CellResult, index: number): string {
  const probe = probeSection(c.probe);
  const dead =
    c.deadLetters.length === 0
      ? ""
      : `<p><b>Dead letters:</b></p><table class="calls"><tr><th>event</th><th>error</th><th>at</th></tr>${c.deadLetters
          .map((d) => `<tr><td>${esc(d.event)}</td><td>${esc(d.error)}</td><td>${time(d.at)}</td></tr>`)
          .join("")}</table>`;
  const portal = c.memberId
    ? `<p class="muted">portal ${esc(c.memberId)} · user ${esc(c.userId)} · ${(c.durationMs / 1000).toFixed(1)} s</p>`
    : "";
  return `<details class="cell" id="cell-${index}" data-cell="${esc(c.cell.id)}" data-verdict="${c.verdict}"${c.verdict === "fails" ? " open" : ""}>
<summary>${tag(c.verdict)}${esc(c.label)} <span class="muted">— ${esc(c.reason)}</span></summary>
${portal}
<table><tr><th>scenario</th><th>verdict</th><th>what happened</th></tr>${c.scenarios.map(scenarioRow).join("")}</table>
${probe}
${dead}
<details class="trail"><summary>Audit trail of this portal in the app's store (${c.audit.length} lines)</summary>${auditTable(c.audit)}</details>
</details>`;
}

/**
 * The matrix as one self-contained HTML page: a coloured grid (a row a cell, a column a scenario),
 * each grid cell a link to the cell's section below; a failing cell's section is open, with the app's
 * answer, its failing calls, the probe's findings and the portal's audit trail one click away.
 */
export function matrixHtml(report: MatrixReport): string {
  const head = `<tr><th>cell</th>${report.scenarios.map((s) => `<th>${esc(s.name)}<br><span class="muted">${esc(s.kind)}</span></th>`).join("")}<th>probe</th><th>verdict</th></tr>`;
  const rows = report.cells
    .map((c, i) => {
      const link = (text: string) => `<a href="#cell-${i}">${text}</a>`;
      const cols = report.scenarios
        .map((s) => {
          const r = c.scenarios.find((x) => x.name === s.name);
          const v: Verdict = r ? r.verdict : "skipped";
          return `<td class="v ${v}" title="${esc(r?.summary ?? "not run")}">${link(r ? WORD[v] : "not run")}</td>`;
        })
        .join("");
      const gaps = c.probe?.missing.filter((g) => !g.internal).length ?? 0;
      const probe = `<td class="v ${gaps > 0 ? "degrades" : c.probe ? "works" : "skipped"}">${link(gaps > 0 ? `${gaps} missing` : c.probe ? "ok" : "—")}</td>`;
      return `<tr data-cell="${esc(c.cell.id)}"><td>${link(esc(c.label))}</td>${cols}${probe}<td class="v ${c.verdict}">${link(WORD[c.verdict])}</td></tr>`;
    })
    .join("");
  const count = (v: Verdict) => report.cells.filter((c) => c.verdict === v).length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>b24kit matrix — ${esc(report.app)}</title>${STYLE}</head><body>
<h1>Compatibility matrix: ${esc(report.app)}</h1>
<p class="muted">${new Date(report.startedAt).toISOString()} · ${report.cells.length} cells in ${(report.durationMs / 1000).toFixed(1)} s · ${count("works")} work, ${count("degrades")} degrade with a message, ${count("fails")} fail</p>
<p class="legend"><span class="works">works</span><span class="degrades">degrades with a message</span><span class="fails">fails</span><span class="skipped">— not offered on that portal</span></p>
<table class="grid">${head}${rows}</table>
<h2>Cells</h2>
${report.cells.map(cellSection).join("\n")}
</body></html>
`;
}
