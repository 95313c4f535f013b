import { B24Error } from "@b24kit/rest";
import { AppError } from "../core/app-error.js";
import { type CapabilityReason, type GapSubject, wordsFor } from "./capability-words.js";
import { moduleForScope, scopeForMethod } from "./method-scope.js";

/**
 * A handler called a method the portal does not let the app use: its module
 * is off, the app lacks the scope, the plan lacks it, the user's rights do
 * not allow it, or the app's subscription ended. Raised before the call when
 * the capability record already says so, or in place of the portal's own
 * refusal (`cause` is then the B24Error). `userText` is fit to show to the
 * user; `adminHint` says what to do.
 */
export class MissingCapabilityError extends AppError {
  readonly method: string;
  readonly reason: CapabilityReason;
  readonly scope: string | undefined;
  readonly module: string | undefined;
  /** The portal's error code when the portal refused; undefined when refused before calling. */
  readonly portalCode: string | undefined;
  readonly userText: string;
  readonly adminHint: string;

  constructor(
    init: { method: string; reason: CapabilityReason; scope?: string; module?: string; portalCode?: string },
    options?: { cause?: unknown },
  ) {
    const words = wordsFor(init.reason, init);
    const origin = init.portalCode
      ? `the portal refused with ${init.portalCode}`
      : "known from the capability probe";
    super(
      "MISSING_CAPABILITY",
      403,
      `${init.method} is not available on this portal (${init.reason}; ${origin}): ${words.adminHint}`,
      options,
    );
    this.name = "MissingCapabilityError";
    this.method = init.method;
    this.reason = init.reason;
    this.scope = init.scope;
    this.module = init.module;
    this.portalCode = init.portalCode;
    this.userText = words.userText;
    this.adminHint = words.adminHint;
  }
}

/**
 * The MissingCapabilityError a portal's refusal stands for, or undefined when
 * the error is something else (a record the user may not see, bad parameters,
 * the network). Works for batch command errors too. The codes:
 * protocol.md §3.5 and packages/rest/src/errors/error-codes.ts.
 */
export function missingCapabilityFrom(error: unknown, method?: string): MissingCapabilityError | undefined {
  if (!(error instanceof B24Error)) return undefined;
  const name = (method ?? error.method ?? "").trim().toLowerCase();
  const reason = reasonOf(error, name);
  if (!reason) return undefined;
  const subject: GapSubject = {};
  const scope = scopeForMethod(name);
  if (reason === "scope_missing" && scope && scope !== "basic") subject.scope = scope;
  if (reason === "module_off") {
    subject.scope = scope;
    subject.module = moduleForScope(scope);
  }
  return new MissingCapabilityError(
    {
      method: name,
      reason,
      ...(subject.scope ? { scope: subject.scope } : {}),
      ...(subject.module ? { module: subject.module } : {}),
      portalCode: error.code,
    },
    { cause: error },
  );
}

function reasonOf(error: B24Error, method: string): CapabilityReason | undefined {
  switch (error.code) {
    case "ERROR_METHOD_NOT_FOUND":
      return moduleForScope(scopeForMethod(method)) ? "module_off" : "method_unknown";
    case "insufficient_scope":
    case "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION":
      return "scope_missing";
    case "WRONG_LICENSE":
      return "plan";
    case "PAYMENT_REQUIRED":
      return "payment_expired";
    case "ACCESS_DENIED":
      // 403 is the method-level refusal (admin-only methods, REST not in the plan); a 400
      // ACCESS_DENIED is about one record (crm.item.*) or a missing app context: not a capability.
      if (/commercial plans/i.test(error.description)) return "plan";
      return error.status === 403 ? "not_admin" : undefined;
    case "AccessException":
      // app.option.set by a non-admin (api-reference/common/settings/app-option-set.md).
      return /administrator/i.test(error.description) ? "not_admin" : undefined;
    case "INVALID_CREDENTIALS":
    case "user_access_error":
    case "METHOD_CONFIRM_WAITING":
    case "METHOD_CONFIRM_DENIED":
      return "not_admin";
    default:
      return undefined;
  }
}
