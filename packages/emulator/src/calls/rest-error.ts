/**
 * An error the portal answers with: HTTP status plus the classic envelope
 * `{"error": code, "error_description": text}` (and extra keys such as `argument`).
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${description}`);
  }

  body(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra };
  }
}

/** The errors of docs/protocol.md §3.5, with the statuses a real portal uses. */
export const Errors = {
  noAuth: () => new RestError(401, "NO_AUTH_FOUND", "Wrong authorization data"),
  expiredToken: () => new RestError(401, "expired_token", "The access token provided has expired."),
  invalidToken: () => new RestError(401, "invalid_token", "The access token provided is invalid."),
  insufficientScope: (webhook: boolean) =>
    new RestError(
      403,
      "insufficient_scope",
      `The request requires higher privileges than provided by the ${webhook ? "webhook" : "access"} token`,
    ),
  restNotInPlan: () => new RestError(403, "ACCESS_DENIED", "REST API is available only on commercial plans"),
  accessDenied: (text = "Access denied!") => new RestError(403, "ACCESS_DENIED", text),
  wrongAuthType: () =>
    new RestError(
      403,
      "WRONG_AUTH_TYPE",
      "Current authorization type is denied for this method Application context required",
    ),
  methodNotFound: () => new RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
  /**
   * A documented method the emulator does not implement. Deliberately unlike any portal answer (501, a
   * code no portal uses), so it is never read as "missing on this portal" nor as a real result.
   */
  notEmulated: (name: string) =>
    new RestError(
      501,
      "EMULATOR_METHOD_NOT_EMULATED",
      `${name} exists on Bitrix24 portals, but the b24kit emulator does not emulate it (method.get says it exists)`,
    ),
  httpsRequired: () => new RestError(400, "INVALID_REQUEST", "Https required"),
  queryLimit: () => new RestError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
  operationTimeLimit: () =>
    new RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit"),
  portalDeleted: (status: number) => new RestError(status, "PORTAL_DELETED", "Portal was deleted"),
  internal: () => new RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
  batchMethodNotAllowed: () =>
    new RestError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage"),
  batchLengthExceeded: () => new RestError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"),
  argument: (name: string, text?: string) =>
    new RestError(400, "ERROR_ARGUMENT", text ?? `Argument '${name}' is null or empty`, { argument: name }),
  /** Legacy crm.<entity>.* methods answer with an empty error code. */
  legacyCrm: (text: string) => new RestError(400, "", text),
  core: (text: string) => new RestError(400, "ERROR_CORE", text),
};
