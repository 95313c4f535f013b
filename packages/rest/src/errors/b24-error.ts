import { redactUrl } from "../security/redact.js";
import { type B24ErrorKind, factsFor } from "./error-codes.js";
import { hintFor } from "./error-hints.js";

export type { B24ErrorKind } from "./error-codes.js";

export interface B24ErrorInit {
  code: string;
  status: number;
  description?: string;
  method?: string;
  kind?: B24ErrorKind;
  /** Overrides the code's own `transient` fact (see error-codes.ts). */
  retryable?: boolean;
  retryAfterMs?: number;
  /** Whether the method may have run on the portal (a write may have happened). */
  mayHaveReachedPortal?: boolean;
  /** REST 3.0: which request fields failed validation and why. */
  validation?: ReadonlyArray<{ message: string; field?: string }>;
  /** What to do, when the code's own hint (error-hints.ts) does not fit where the error is raised. */
  hint?: string;
  cause?: unknown;
}

/**
 * Every failure of a Bitrix24 call. `code` is the portal's own error code when
 * there is one, else one of this client's codes (all listed in error-codes.ts);
 * the message says what to do about it and never carries a credential.
 */
export class B24Error extends Error {
  readonly code: string;
  readonly status: number;
  readonly description: string;
  readonly method: string | undefined;
  readonly kind: B24ErrorKind;
  /** The failure is transient: the same call may succeed later. Whether it is repeated is the retry step's call. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly mayHaveReachedPortal: boolean;
  readonly validation: ReadonlyArray<{ message: string; field?: string }> | undefined;

  constructor(init: B24ErrorInit) {
    const description = redactUrl(init.description ?? "");
    const hint = init.hint ?? hintFor(init.code, description, init.method);
    const where = init.method ? `${init.method}: ` : "";
    super(
      // Status 0: the client refused or failed before any answer; "(HTTP 0)" would read as a portal's.
      `${where}${init.code || "error"}${init.status ? ` (HTTP ${init.status})` : ""}${description ? ` ${description}` : ""}${hint ? ` — ${hint}` : ""}`,
      { cause: init.cause },
    );
    const facts = factsFor(init.code, init.status);
    this.name = "B24Error";
    this.code = init.code;
    this.status = init.status;
    this.description = description;
    this.method = init.method;
    this.kind = init.kind ?? facts.kind;
    this.retryable = init.retryable ?? facts.transient === true;
    this.retryAfterMs = init.retryAfterMs;
    this.mayHaveReachedPortal = init.mayHaveReachedPortal ?? !facts.refusedBeforeRun;
    this.validation = init.validation;
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

/**
 * Builds the error for a portal answer with its HTTP status: the classic
 * `{error, error_description}` or REST 3.0's `{error: {code, message, validation}}`.
 */
export function errorFromBody(status: number, body: unknown, method?: string): B24Error {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  if (b.error && typeof b.error === "object") {
    const e = b.error as { code?: unknown; message?: unknown; validation?: unknown };
    const validation = Array.isArray(e.validation)
      ? e.validation.map((v) => ({
          message: String((v as { message?: unknown })?.message ?? ""),
          ...(typeof (v as { field?: unknown })?.field === "string"
            ? { field: (v as { field: string }).field }
            : {}),
        }))
      : undefined;
    const message = typeof e.message === "string" ? e.message : "";
    const details = validation?.map((v) => (v.field ? `${v.field}: ${v.message}` : v.message)).join("; ");
    return new B24Error({
      code: typeof e.code === "string" ? e.code : "",
      status,
      description: details ? `${message} (${details})` : message,
      ...(method ? { method } : {}),
      ...(validation ? { validation } : {}),
    });
  }
  const code = typeof b.error === "string" ? b.error : "";
  const description = typeof b.error_description === "string" ? b.error_description : "";
  return new B24Error({ code, status, description, ...(method ? { method } : {}) });
}
