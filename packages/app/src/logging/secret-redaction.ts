import { redact } from "@b24kit/rest";

/** What a secret's value is replaced with (the REST client's own marker). */
export const REDACTED = "[redacted]";

/**
 * Names the REST client's rules (`redact` in @b24kit/rest: tokens, secrets,
 * `auth`, AUTH_ID, REFRESH_ID, passwords, api keys, OAuth `code`) do not cover
 * but the runtime handles: HTTP credential headers, our frame session and its
 * signature, encryption and TLS keys.
 */
const EXTRA_SECRET_NAMES = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  // The user's AUTH_ID that b24kit.api() sends (inbound/api-user-auth.ts).
  "x-b24kit-user-auth",
  "session",
  "sid",
  "signature",
  "sig",
  "hmac",
  "key",
  "private_key",
  "privatekey",
  "tls_key",
  "tlskey",
  "encryption_key",
  "encryptionkey",
  "encryption_keys",
  "encryptionkeys",
]);

/**
 * Field names with secret values, for pino's `redact.paths` (the fast first
 * line; `redactSecrets` is the deep, complete one). Lower-case `code` is
 * not listed: as a log field it is nearly always an error code (see
 * `isSecretField`).
 */
export const SECRET_FIELD_NAMES = [
  "access_token",
  "refresh_token",
  "application_token",
  "client_secret",
  "accessToken",
  "refreshToken",
  "applicationToken",
  "clientSecret",
  "sessionSecret",
  "session_secret",
  "sessionToken",
  "session_token",
  "bot_token",
  "token",
  "secret",
  "password",
  "apiKey",
  "api_key",
  "auth",
  "AUTH_ID",
  "REFRESH_ID",
  "APPLICATION_TOKEN",
  "authorization",
  "cookie",
  "set-cookie",
  "encryptionKeys",
] as const;

/**
 * Error codes as the portal, the OAuth server, Node and our packages spell
 * them (`QUERY_LIMIT_EXCEEDED`, `expired_token`, `ECONNREFUSED`,
 * `TimeoutError`, `500`): a `code` field holding one of these is kept. An OAuth
 * authorization code is random hex or base64, which none of these shapes fits.
 */
const ERROR_CODE_SHAPE =
  /^(?:[A-Z]{2,32}|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|(?:[A-Z][a-z]+){1,4}|\d{1,5})$/;

export function looksLikeErrorCode(value: string): boolean {
  return value.length <= 64 && ERROR_CODE_SHAPE.test(value);
}

/** The REST client's verdict on one key (it keeps its rule set private; this asks it). */
function restSaysSecret(key: string): boolean {
  return (redact({ [key]: 0 }) as Record<string, unknown>)[key] === REDACTED;
}

function isExtraSecret(key: string): boolean {
  const lower = key.toLowerCase();
  if (EXTRA_SECRET_NAMES.has(lower)) return true;
  const last = /\[([^\]]*)\]$/.exec(lower)?.[1];
  return last !== undefined && EXTRA_SECRET_NAMES.has(last);
}

/**
 * Whether `key` holds a secret. Lower-case `code` is the OAuth authorization
 * code in a redirect or token request (secret) but an error code almost
 * everywhere else; it is kept only when its value is shaped like an error code.
 */
export function isSecretField(key: string, value?: unknown): boolean {
  if (key === "code") return !(typeof value === "string" && looksLikeErrorCode(value));
  return restSaysSecret(key) || isExtraSecret(key);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const MAX_SCRUB_CHARS = 65_536;

/** `KEY=value` pairs of form bodies and free text; `?`/`&` pairs in URLs are the REST client's. */
const FORM_PAIR = /(^|[\s"'`,;{(<&?])([A-Za-z_][\w.-]{0,63}(?:\[[^\]=&\s]{0,63}\]){0,8})=([^&\s"'`,;<>]*)/g;
/** `"key": "value"` and `key: 'value'` inside text (JSON bodies quoted in error messages). */
const QUOTED_PAIR = /(["']?)([A-Za-z_][\w.[\]-]{0,63})\1(\s*:\s*)(["'])((?:\\.|(?!\4)[^\\])*)(\4|$)/g;
/** `Authorization: Bearer …` values quoted in text. */
const AUTH_SCHEME = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/gi;

/**
 * Free text with credentials hidden: everything `redactUrl` hides (webhook
 * codes in REST paths, secret query parameters), plus form bodies
 * (`AUTH_ID=…&REFRESH_ID=…`), JSON fragments (`"access_token":"…"`) and
 * authorization headers quoted in messages. Text over 64 KiB is cut first
 * (bounding the work); a value cut short is still hidden, since the patterns
 * also match at the end of the text.
 */
export function scrubText(text: string): string {
  const bounded = text.length > MAX_SCRUB_CHARS ? `${text.slice(0, MAX_SCRUB_CHARS)}…[cut]` : text;
  return (redact(bounded) as string)
    .replace(FORM_PAIR, (whole, sep: string, key: string, value: string) =>
      value !== REDACTED && isSecretField(decodeSafe(key), decodeSafe(value))
        ? `${sep}${key}=${REDACTED}`
        : whole,
    )
    .replace(
      QUOTED_PAIR,
      (whole, q: string, key: string, colon: string, vq: string, value: string, end: string) =>
        value !== REDACTED && isSecretField(key, value)
          ? `${q}${key}${q}${colon}${vq}${REDACTED}${end}`
          : whole,
    )
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/**
 * A deep copy of `value` with every secret field's value replaced and every
 * string scrubbed (`scrubText`). Errors become `{ name, message, code }`;
 * other class instances become their enumerable fields.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return "[deep]";
  if (typeof value === "string") return scrubText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return redactSecrets({ name: value.name, message: value.message, ...(code ? { code } : {}) }, depth);
  }
  // fromEntries defines properties: a "__proto__" key from parsed JSON stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      isSecretField(key, v) ? REDACTED : redactSecrets(v, depth + 1),
    ]),
  );
}
