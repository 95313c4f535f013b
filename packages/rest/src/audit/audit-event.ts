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
  /^(auth|access_token|refresh_token|application_token|client_secret|password|auth_id|refresh_id|accesstoken|refreshtoken|clientsecret|applicationtoken|token|bottoken|bot_token|client_id)$/i;

/** Is this key (or its last bracket segment, as in `auth[access_token]`) a secret? */
function isSecretKey(key: string): boolean {
  if (SECRET_KEYS.test(key)) return true;
  const last = /\[([^\]]*)\]$/.exec(key)?.[1];
  const head = key.split("[")[0] ?? "";
  return (last !== undefined && SECRET_KEYS.test(last)) || SECRET_KEYS.test(head);
}

/** A batch command `method?query`: its query parameters are redacted like object keys. */
function redactCommand(text: string): string {
  const q = text.indexOf("?");
  if (q === -1) return text;
  const params = new URLSearchParams(text.slice(q + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (isSecretKey(key)) {
      params.set(key, "[redacted]");
      changed = true;
    }
  }
  return changed ? `${text.slice(0, q)}?${params.toString()}` : text;
}

/** Hides webhook codes in URLs: `/rest/1/abc123/` → `/rest/1/[redacted]/`. */
export function redactUrl(text: string): string {
  return text.replace(/(\/rest\/\d+\/)[^/?#\s]+/g, "$1[redacted]");
}

/** A deep copy with every secret-looking key's value replaced; strings have webhook codes hidden. */
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
