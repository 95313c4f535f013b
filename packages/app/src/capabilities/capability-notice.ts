import type { CapabilityExplanation, CapabilityGap } from "./explain.js";

export interface CapabilityNoticeOptions {
  /**
   * The user's language (the placement's LANG). Only English is written so
   * far; every language gets English, marked `lang="en"`.
   */
  lang?: string;
  /** Also mention missing optional capabilities (default: required ones only). */
  includeOptional?: boolean;
  /** A CSP nonce for the fragment's `<style>` element, when the page's policy asks for one. */
  nonce?: string;
}

const STYLE = [
  ".b24kit-capability-notice{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#333;",
  "background:#fff8e1;border:1px solid #f2c94c;border-radius:8px;padding:12px 16px;margin:12px 0;max-width:640px}",
  ".b24kit-capability-notice h2{font-size:15px;margin:0 0 6px}",
  ".b24kit-capability-notice ul{margin:4px 0 8px;padding-left:20px}",
  ".b24kit-capability-notice p{margin:8px 0 2px;font-weight:600}",
].join("");

/**
 * A small self-contained HTML fragment (no scripts, no external assets, every
 * text escaped) telling the user in plain words what their Bitrix24's plan,
 * tools or rights lack, and what an administrator can do about it. An empty
 * string when nothing required is missing, so a page can always include it.
 */
export function capabilityNotice(
  explanation: CapabilityExplanation,
  options: CapabilityNoticeOptions = {},
): string {
  const gaps = explanation.missing.filter((g) => g.required || options.includeOptional);
  if (gaps.length === 0) return "";
  const problems = unique(gaps.map((g) => g.userText));
  const actions = unique(gaps.map((g) => g.adminHint));
  const stops = gaps.some(stopsTheApp);
  const title = stops
    ? "This app cannot work in your Bitrix24 right now"
    : "Some parts of this app are not available in your Bitrix24";
  const nonce = options.nonce ? ` nonce="${escapeHtml(options.nonce)}"` : "";
  return [
    `<section class="b24kit-capability-notice" role="status" lang="en">`,
    `<style${nonce}>${STYLE}</style>`,
    `<h2>${escapeHtml(title)}</h2>`,
    `<ul>${problems.map((t) => `<li>${escapeHtml(t)}</li>`).join("")}</ul>`,
    `<p>${escapeHtml("What to do (if you are not a Bitrix24 administrator, show this to one):")}</p>`,
    `<ul>${actions.map((t) => `<li>${escapeHtml(t)}</li>`).join("")}</ul>`,
    `</section>`,
  ].join("");
}

/** Conditions that stop the whole app, not one of its parts. */
function stopsTheApp(gap: CapabilityGap): boolean {
  return gap.kind === "portal" || (gap.kind === "app" && gap.reason === "payment_expired");
}

function unique(texts: string[]): string[] {
  return [...new Set(texts.filter(Boolean))];
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
