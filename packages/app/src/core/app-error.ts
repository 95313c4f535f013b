/**
 * The runtime's errors: a stable `code` (never reused for another meaning), the
 * HTTP status an inbound route answers with, and a message that says what to do.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

/** An inbound request that failed verification: answered 401/403 and audited, never processed. */
export class VerificationError extends AppError {
  constructor(code: string, message: string, status = 403, options?: { cause?: unknown }) {
    super(code, status, message, options);
    this.name = "VerificationError";
  }
}
