import type { Verdict } from "./results.js";

/**
 * How a page marks a plain-words notice, so that the matrix can tell "degrades with a message" from
 * "works": the runtime's capability notice (`class="b24kit-capability-notice"`), any element with
 * `role="status"` or `role="alert"`, or any element with a `data-b24kit-notice` attribute.
 */
const NOTICE_MARK =
  /<([a-z][a-z0-9-]*)\b[^>]*(?:\bclass\s*=\s*["'][^"']*\bb24kit-capability-notice\b|\brole\s*=\s*["']?(?:status|alert)\b|\bdata-b24kit-notice\b)[^>]*>/i;

/** The text of the first notice on the page (tags and styles dropped), or undefined when it has none. */
export function noticeText(html: string): string | undefined {
  const mark = NOTICE_MARK.exec(html);
  if (!mark) return undefined;
  const tag = mark[1]!.toLowerCase();
  const from = mark.index + mark[0].length;
  const close = html.toLowerCase().indexOf(`</${tag}>`, from);
  const inner = html.slice(from, close < 0 ? from + 2000 : close);
  const text = inner
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  return text === "" ? "(an empty notice)" : text;
}

/** The verdict on the app's answer to a frame request (a placement or its page). */
export function pageVerdict(
  status: number,
  body: string,
): { verdict: Verdict; summary: string; notice?: string } {
  if (status >= 500) {
    const error = /"error"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    const code = /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    const what = [error, code && code !== error ? `(${code})` : undefined].filter(Boolean).join(" ");
    return {
      verdict: "fails",
      summary: `unhandled error: HTTP ${status}${what ? ` ${what}` : ""} shown to the user`,
    };
  }
  if (status === 401 || status === 403)
    return { verdict: "fails", summary: `HTTP ${status} surfaced to the user` };
  if (status >= 300) return { verdict: "fails", summary: `HTTP ${status} instead of a page` };
  const notice = noticeText(body);
  if (notice) return { verdict: "degrades", summary: `HTTP ${status} with a notice`, notice };
  return { verdict: "works", summary: `HTTP ${status}` };
}
