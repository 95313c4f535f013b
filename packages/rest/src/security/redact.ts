/**
 * Secrets never leave the client in clear: not in audit events, not in error
 * messages, not in hook events. Keys are matched case-insensitively, on the
 * whole key and on its last bracket segment (`auth[access_token]`).
 */
const SECRET_KEYS = new Set([
  "auth",
  "auth_id",
  "refresh_id",
  "password",
  "passwd",
  "token",
  "client_id",
  "apikey",
  "api_key",
  "secret",
]);
/** `access_token`, `refresh_token`, `application_token`, `bot_token`, `client_secret`, `botToken`, `x-api-key`, … */
const SECRET_SUFFIX = /(token|secret|password|api[-_]?key)$/i;

/**
 * Is this key a secret? Upper-case `CODE` is an entity's code name in Bitrix24
 * methods (`imbot.register`, `bizproc.robot.add`) and stays; lower-case `code`
 * is the OAuth authorization code and goes.
 */
function isSecretName(name: string): boolean {
  return name === "code" || SECRET_KEYS.has(name.toLowerCase()) || SECRET_SUFFIX.test(name);
}

export function isSecretKey(key: string): boolean {
  if (isSecretName(key)) return true;
  const last = /\[([^\]]*)\]$/.exec(key)?.[1];
  const head = key.split("[")[0] ?? "";
  return (last !== undefined && isSecretName(last)) || (head !== key && isSecretName(head));
}

/** A query string with the values of secret keys replaced. */
function redactQuery(query: string): string {
  const params = new URLSearchParams(query);
  let changed = false;
  for (const key of [...params.keys()]) {
    if (isSecretKey(key)) {
      params.set(key, "[redacted]");
      changed = true;
    }
  }
  return changed ? params.toString() : query;
}

/** A batch command `method?query`: its query parameters are redacted like object keys. */
function redactCommand(text: string): string {
  const q = text.indexOf("?");
  return q === -1 ? text : `${text.slice(0, q)}?${redactQuery(text.slice(q + 1))}`;
}

/**
 * Hides credentials inside free text: webhook codes in REST paths
 * (`/rest/1/abc123/` → `/rest/1/[redacted]/`, REST 3.0's `/rest/api/1/abc123/` too)
 * and secret query parameters of URLs (`?auth=…`, `&client_secret=…`).
 */
export function redactUrl(text: string): string {
  return text
    .replace(/(\/rest\/(?:api\/)?\d+\/)[^/?#\s"']+/g, "$1[redacted]")
    .replace(/([?&])([^=&#\s"']+)=([^&#\s"']*)/g, (whole, sep: string, key: string) =>
      isSecretKey(decodeURIComponentSafe(key)) ? `${sep}${key}=[redacted]` : whole,
    );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A deep copy with every secret-looking key's value replaced; strings have credentials hidden. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return "[deep]";
  if (typeof value === "string") return redactUrl(/^[\w.]+\?/.test(value) ? redactCommand(value) : value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? "[redacted]" : redact(v, depth + 1)]),
    );
  }
  return value;
}
