/*
 * Tiny HTML helpers for the portal pages: everything that comes from data is
 * escaped with `esc`; markup is built from plain template strings.
 */

/** Escapes text for element content and double-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON value for a single-quoted-free data attribute (escaped, so any content is safe). */
export function jsonAttr(value: unknown): string {
  return esc(JSON.stringify(value));
}

/** Joins markup fragments, dropping empty ones. */
export function join(parts: Array<string | false | undefined | null>): string {
  return parts.filter((p): p is string => typeof p === "string" && p !== "").join("");
}

/** A page-level notice (info, success, warning, error). */
export function notice(kind: "info" | "success" | "warning" | "error", text: string): string {
  return `<div class="b24-notice b24-notice--${kind}" role="status">${esc(text)}</div>`;
}

/** A white card with an optional heading. */
export function card(title: string | undefined, body: string, extraClass = ""): string {
  return `<section class="b24-card ${esc(extraClass)}">${title ? `<h2 class="b24-card__title">${esc(title)}</h2>` : ""}${body}</section>`;
}

/** A definition table of label → value (values are markup). */
export function fieldTable(rows: Array<[string, string]>): string {
  return `<table class="b24-fields"><tbody>${rows
    .map(([label, value]) => `<tr><th>${esc(label)}</th><td>${value === "" ? "—" : value}</td></tr>`)
    .join("")}</tbody></table>`;
}
