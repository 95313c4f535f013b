/** Text made safe for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The look of a Bitrix24 page without its UI kit's weight: its font stack,
 * text and accent colours, white cards on the portal's grey. A few hundred
 * bytes inline instead of a stylesheet request from inside the frame.
 */
export const STYLE = `<style>
:root{--text:#333;--muted:#828b95;--accent:#2fc6f6;--accent-dark:#11a9d9;--ok:#9dcf00;--warn:#f7a700;--bad:#ff5752;--line:#e0e5e9}
*{box-sizing:border-box}body{margin:0;padding:16px;font:14px/1.45 "Open Sans","Helvetica Neue",Helvetica,Arial,sans-serif;color:var(--text);background:#eef2f4}
h1{font-size:20px;font-weight:400;margin:0 0 12px}h2{font-size:13px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 8px}
.card{background:#fff;border-radius:12px;padding:16px 18px;margin:0 0 12px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}
.muted{color:var(--muted)}.score{display:inline-flex;align-items:center;justify-content:center;width:64px;height:64px;border-radius:50%;font-size:24px;font-weight:600;color:#fff;background:var(--accent)}
.score.low{background:var(--bad)}.score.mid{background:var(--warn)}.score.high{background:var(--ok)}
.row{display:flex;gap:16px;align-items:center}ul.plain{list-style:none;margin:0;padding:0}ul.plain li{padding:6px 0;border-bottom:1px solid var(--line)}ul.plain li:last-child{border:0}
.btn{display:inline-block;border:0;border-radius:18px;padding:8px 18px;font:inherit;font-weight:600;font-size:12px;text-transform:uppercase;color:#fff;background:var(--accent);cursor:pointer}.btn:hover{background:var(--accent-dark)}
.notice{background:#fff5d9;border-left:4px solid var(--warn);border-radius:8px;padding:12px 14px;margin:0 0 12px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line)}th{font-weight:600;color:var(--muted);font-size:12px}
input{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:6px}
</style>`;

/** The score as a coloured circle: red below 30, amber below 60, green from 60. */
export function scoreBadge(score: number, id = "score"): string {
  const band = score < 30 ? "low" : score < 60 ? "mid" : "high";
  return `<span class="score ${band}" id="${esc(id)}" data-score="${score}">${score}</span>`;
}

/** A plain-words message where the page's content would have been. */
export function noticeBlock(title: string, text: string): string {
  return `<div class="notice" role="status"><strong>${esc(title)}</strong><p>${esc(text)}</p></div>`;
}

export function money(amount: unknown, currency: unknown): string {
  const value = Number(amount ?? 0);
  return `${value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${esc(currency ?? "")}`.trim();
}
