/*
 * The `.xml` answer format (settings/how-to-call-rest-api/general-principles.md, "Request Result"):
 * the same envelope as elements under <response>. How list entries and booleans are written is not
 * documented: entries as <item>, booleans as true/false (a guess, stated in the README).
 */

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** An element name for a key: XML names cannot start with a digit or hold most punctuation. */
function tag(key: string): string {
  const name = key.replace(/[^\w.-]/g, "_");
  return /^[A-Za-z_]/.test(name) ? name : `item`;
}

function element(key: string, value: unknown, depth: number): string {
  const name = tag(key);
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value))
    return `<${name}>${value.map((v) => element("item", v, depth + 1)).join("")}</${name}>`;
  if (typeof value === "object") {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, depth + 1))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An envelope (success or error) as the portal's XML answer. */
export function xmlEnvelope(body: Record<string, unknown>): string {
  const inner = Object.entries(body)
    .map(([k, v]) => element(k, v, 1))
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<response>${inner}</response>`;
}
