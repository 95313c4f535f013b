import { hintFor } from "./error-hints.js";

/** What went wrong, broadly; lets callers branch without knowing every portal code. */
export type B24ErrorKind =
  | "auth" // credentials missing, expired, revoked
  | "access" // scope, plan, rights, payment, confirmation
  | "limit" // QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT
  | "not_found" // method or record
  | "invalid" // the call's parameters
  | "portal" // portal deleted, overloaded, internal error
  | "transport" // network, timeout, unreadable answer
  | "usage"; // this library used in a way that cannot work

export interface B24ErrorInit {
  code: string;
  status: number;
  description?: string;
  method?: string;
  kind?: B24ErrorKind;
  retryable?: boolean;
  retryAfterMs?: number;
  /** For transport errors: whether the request may have reached the portal (a write may have happened). */
  mayHaveReachedPortal?: boolean;
  cause?: unknown;
}

const KIND_BY_CODE: Record<string, B24ErrorKind> = {
  expired_token: "auth",
  invalid_token: "auth",
  NO_AUTH_FOUND: "auth",
  invalid_grant: "auth",
  invalid_client: "auth",
  insufficient_scope: "access",
  ACCESS_DENIED: "access",
  INVALID_CREDENTIALS: "access",
  user_access_error: "access",
  WRONG_AUTH_TYPE: "access",
  WRONG_LICENSE: "access",
  METHOD_CONFIRM_WAITING: "access",
  METHOD_CONFIRM_DENIED: "access",
  PAYMENT_REQUIRED: "access",
  allowed_only_intranet_user: "access",
  QUERY_LIMIT_EXCEEDED: "limit",
  OPERATION_TIME_LIMIT: "limit",
  ERROR_METHOD_NOT_FOUND: "not_found",
  NOT_FOUND: "not_found",
  ERROR_NOT_FOUND: "not_found",
  PORTAL_DELETED: "portal",
  OVERLOAD_LIMIT: "portal",
  INTERNAL_SERVER_ERROR: "portal",
  ERROR_UNEXPECTED_ANSWER: "portal",
  NETWORK_ERROR: "transport",
  TIMEOUT: "transport",
  BAD_RESPONSE: "transport",
};

function defaultKind(code: string, status: number): B24ErrorKind {
  const known = KIND_BY_CODE[code];
  if (known) return known;
  if (status === 401) return "auth";
  if (status === 403) return "access";
  if (status === 404) return "not_found";
  if (status >= 500) return "portal";
  return "invalid";
}

/**
 * Every failure of a Bitrix24 call. `code` is the portal's own error code when
 * there is one (stable, never reused); the message says what to do about it.
 */
export class B24Error extends Error {
  readonly code: string;
  readonly status: number;
  readonly description: string;
  readonly method: string | undefined;
  readonly kind: B24ErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly mayHaveReachedPortal: boolean;

  constructor(init: B24ErrorInit) {
    const description = init.description ?? "";
    const hint = hintFor(init.code, description, init.method);
    const where = init.method ? `${init.method}: ` : "";
    super(
      `${where}${init.code || "error"} (HTTP ${init.status})${description ? ` ${description}` : ""}${hint ? ` — ${hint}` : ""}`,
      {
        cause: init.cause,
      },
    );
    this.name = "B24Error";
    this.code = init.code;
    this.status = init.status;
    this.description = description;
    this.method = init.method;
    this.kind = init.kind ?? defaultKind(init.code, init.status);
    this.retryable =
      init.retryable ??
      (this.kind === "limit" ||
        this.kind === "transport" ||
        (this.kind === "portal" && init.code !== "PORTAL_DELETED"));
    this.retryAfterMs = init.retryAfterMs;
    this.mayHaveReachedPortal = init.mayHaveReachedPortal ?? this.kind !== "limit";
  }
}

/** One command of a batch failed; `command` names it. */
export class B24BatchCommandError extends B24Error {
  constructor(
    readonly command: string,
    init: B24ErrorInit,
  ) {
    super(init);
    this.name = "B24BatchCommandError";
    this.message = `batch command "${command}" failed: ${this.message}`;
  }
}

/** Builds the error for a portal answer `{error, error_description}` with its HTTP status. */
export function errorFromBody(status: number, body: unknown, method?: string): B24Error {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const code = typeof b.error === "string" ? b.error : "";
  const description = typeof b.error_description === "string" ? b.error_description : "";
  return new B24Error({ code, status, description, ...(method ? { method } : {}) });
}
