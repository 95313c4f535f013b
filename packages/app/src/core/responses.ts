import type { AppError } from "./app-error.js";
import { bytesResponse } from "./bytes-response.js";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const bytes = Buffer.from(JSON.stringify(body));
  // The length lets a server adapter send the body in one write instead of streaming it.
  return bytesResponse(bytes, status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(bytes.byteLength),
    ...headers,
  });
}

/** An error answer that names the code and says what to do, never what was sent. */
export function errorResponse(error: AppError): Response {
  return json(error.status, { error: error.code, message: error.message });
}

/**
 * An HTML page the portal frames. `frame-ancestors` names the portal that
 * opened it (the iframe must be allowed there, docs/protocol.md §2.2), and no
 * other site may frame the page holding the user's session.
 */
export function framedHtml(body: string, frameAncestor: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": `frame-ancestors ${frameAncestor}`,
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    },
  });
}

/** Text for HTML: the five characters that can open markup or an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
