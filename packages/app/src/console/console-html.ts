import { randomBytes } from "node:crypto";
import { escapeHtml } from "../core/responses.js";

export { escapeHtml as h };

const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#333;background:#f5f7f8;margin:0}
header{background:#2fc6f6;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header b{font-size:16px}header a{color:#fff;text-decoration:none;font-weight:500}
header a[aria-current]{text-decoration:underline}
header form{margin-left:auto}header button{background:transparent;border:1px solid #fff;color:#fff}
main{padding:16px 24px;max-width:1200px}
h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:20px 0 8px}
section,.card{background:#fff;border:1px solid #e1e5e8;border-radius:8px;padding:12px 16px;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.cards .card{min-width:150px}
.card .n{font-size:22px;font-weight:600}.card .l{color:#6a737f;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef0f2;vertical-align:top}
th{font-size:12px;color:#6a737f;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.ok{color:#2e7d32}.error,.rejected,.blocked,.uninstalled{color:#c62828}.payment_expired,.installing,.warn{color:#b26a00}
.flash{background:#e8f5e9;border:1px solid #a5d6a7;border-radius:8px;padding:8px 12px;margin-bottom:12px}
.flash.bad{background:#fdecea;border-color:#f5c2c0}
form.inline{display:inline}
label{display:inline-block;margin:0 12px 6px 0;font-size:12px;color:#6a737f}
input,select,button{font:inherit;padding:4px 8px;border:1px solid #c9d0d6;border-radius:4px;background:#fff}
button{background:#2fc6f6;border-color:#2fc6f6;color:#fff;cursor:pointer}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:12px}
svg text{font:11px system-ui,sans-serif;fill:#6a737f}
.legend span{margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.legend .c0{background:#2fc6f6}.legend .c1{background:#c62828}.legend .c2{background:#7b61ff}.legend .c3{background:#2e7d32}
details summary{cursor:pointer;color:#6a737f}
.login{max-width:340px;margin:80px auto}.login label{display:block;margin:8px 0}.login input{width:100%}
`;

export interface ConsoleLayout {
  title: string;
  appName: string;
  /** Base path of the console (`/console/`, under the app's public path). */
  base: string;
  /** The signed-in operator (absent on the login page). */
  operator?: { name: string; csrf: string };
  /** Which nav entry is current. */
  nav?: "overview" | "tenants" | "events";
  /** Already-escaped markup. */
  body: string;
  /** A message after an action (escaped here). */
  flash?: { text: string; bad?: boolean };
}

/** The console's HTML shell: no script at all, one style element (allowed by its nonce). */
export function consolePage(layout: ConsoleLayout): { html: string; nonce: string } {
  const nonce = randomBytes(16).toString("base64");
  const link = (key: ConsoleLayout["nav"], path: string, text: string) =>
    `<a href="${escapeHtml(layout.base + path)}"${layout.nav === key ? ' aria-current="page"' : ""}>${text}</a>`;
  const header = layout.operator
    ? `<header><b>${escapeHtml(layout.appName)} · console</b>${link("overview", "", "Overview")}${link(
        "tenants",
        "tenants",
        "Tenants",
      )}${link("events", "events", "Events")}<form method="post" action="${escapeHtml(
        `${layout.base}logout`,
      )}"><input type="hidden" name="csrf" value="${escapeHtml(layout.operator.csrf)}"><button>Sign out ${escapeHtml(
        layout.operator.name,
      )}</button></form></header>`
    : `<header><b>${escapeHtml(layout.appName)} · console</b></header>`;
  const flash = layout.flash
    ? `<p class="flash${layout.flash.bad ? " bad" : ""}" role="status">${escapeHtml(layout.flash.text)}</p>`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(layout.title)} · ${escapeHtml(layout.appName)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${header}
<main>${flash}${layout.body}</main>
</body>
</html>
`;
  return { html, nonce };
}

/** Headers of every console answer: never cached, never framed, no script, forms only to itself. */
export function consoleHeaders(nonce?: string): Record<string, string> {
  return {
    "cache-control": "no-store",
    pragma: "no-cache",
    "content-security-policy": `default-src 'none'; style-src ${nonce ? `'nonce-${nonce}'` : "'none'"}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    // Not no-referrer: that makes browsers send `Origin: null` with the console's own forms.
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
  };
}

export function htmlResponse(
  page: { html: string; nonce: string },
  status = 200,
  extra: Record<string, string> = {},
) {
  return new Response(page.html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...consoleHeaders(page.nonce), ...extra },
  });
}

/** A redirect after a form (303: the browser follows with GET). */
export function seeOther(location: string, extra: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { location, ...consoleHeaders(), ...extra } });
}

/** `2026-01-02 10:11:12Z` (UTC, seconds), or — for none. */
export function time(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** `5 s ago`, `3 min ago`, `in 40 min`: for expiry and activity next to the absolute time. */
export function ago(ms: number | undefined, now: number): string {
  if (ms === undefined || !Number.isFinite(ms)) return "";
  const delta = Math.round((now - ms) / 1000);
  const abs = Math.abs(delta);
  const text =
    abs < 90
      ? `${abs} s`
      : abs < 5400
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} d`;
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}
