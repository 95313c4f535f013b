/** What the audit hook receives for every call (batch and list pages included), secrets removed. */
export interface AuditEvent {
  /** ISO time the call started. */
  at: string;
  portal: string;
  method: string;
  ok: boolean;
  /** HTTP status of the last attempt (0 when no answer came). */
  status: number;
  /** The portal's error code when it failed. */
  code?: string;
  durationMs: number;
  attempts: number;
  /** Milliseconds spent waiting for the rate limit or the operating budget. */
  waitedMs: number;
  /** Whether credentials were renewed during the call. */
  renewed: boolean;
  /** The call's parameters, redacted. */
  params: unknown;
  /** Commands in a batch call. */
  commands?: number;
}

const SECRET_KEYS =
  /^(auth|access_token|refresh_token|application_token|client_secret|password|auth_id|refresh_id|accesstoken|refreshtoken|clientsecret|applicationtoken)$/i;

/** Hides webhook codes in URLs: `/rest/1/abc123/` → `/rest/1/[redacted]/`. */
export function redactUrl(text: string): string {
  return text.replace(/(\/rest\/\d+\/)[^/?#\s]+/g, "$1[redacted]");
}

/** A deep copy with every secret-looking key's value replaced; strings have webhook codes hidden. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return "[deep]";
  if (typeof value === "string") return redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1)]),
    );
  }
  return value;
}
