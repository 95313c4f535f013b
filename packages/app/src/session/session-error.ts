import { VerificationError } from "../core/app-error.js";

/**
 * Codes of signed-token failures. A frame session that is forged, tampered with
 * or malformed is SESSION_INVALID; one that ran out is SESSION_EXPIRED (the page
 * should reopen the placement). STATE_* are the same for the OAuth `state`.
 */
export type SessionErrorCode = "SESSION_INVALID" | "SESSION_EXPIRED" | "STATE_INVALID" | "STATE_EXPIRED";

/** A frame session or OAuth state that failed verification: 401 (session) or 403 (state), never processed. */
export class SessionError extends VerificationError {
  declare readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string) {
    super(code, message, code.startsWith("SESSION_") ? 401 : 403);
    this.name = "SessionError";
  }
}
