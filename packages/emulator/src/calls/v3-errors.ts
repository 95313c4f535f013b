import { RestError } from "./rest-error.js";

/*
 * REST 3.0 errors (api-reference/rest-v3.md): `{"error": {"code", "message", "validation"?}}` with a 4xx
 * status; codes start with BITRIX_REST_V3_EXCEPTION_. Classic refusals (limits, tokens, scope, rights)
 * keep their meaning and take this shape on the /rest/api/ address.
 */

const PREFIX = "BITRIX_REST_V3_EXCEPTION_";

export interface FieldProblem {
  message: string;
  field: string;
}

/** A REST 3.0 error: a RestError whose body is the v3 shape. */
export class V3Error extends RestError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly validation: FieldProblem[] = [],
  ) {
    super(status, code, message);
  }

  override body(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.description,
        ...(this.validation.length ? { validation: this.validation } : {}),
      },
    };
  }
}

export const V3Errors = {
  validation: (problems: FieldProblem[]) =>
    new V3Error(
      400,
      `${PREFIX}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
      "Error validating request object",
      problems,
    ),
  required: (field: string) =>
    V3Errors.validation([{ message: `Required field \`${field}\` is not specified`, field }]),
  invalidJson: () => new V3Error(400, `${PREFIX}INVALIDJSONEXCEPTION`, "Request body is not valid JSON"),
  /** "Unknown field `stageId` for entity `UserDto`" (rest-v3.md, "Connections between objects"). */
  unknownProperty: (field: string, entity: string) =>
    new V3Error(
      400,
      `${PREFIX}UNKNOWNDTOPROPERTYEXCEPTION`,
      `Unknown field \`${field}\` for entity \`${entity}\``,
    ),
  unknownOperator: (operator: string) =>
    new V3Error(400, `${PREFIX}UNKNOWNFILTEROPERATOREXCEPTION`, `Unknown filter operator \`${operator}\``),
  /** "Record with ID = `2` not found" (tasks-task-get-rest-v3.md). */
  entityNotFound: (id: unknown) =>
    new V3Error(400, `${PREFIX}ENTITYNOTFOUNDEXCEPTION`, `Record with ID = \`${String(id)}\` not found`),
  accessDenied: () => new V3Error(403, `${PREFIX}ACCESSDENIEDEXCEPTION`, "Access denied"),
  insufficientScope: () =>
    new V3Error(403, `${PREFIX}INSUFFICIENTSCOPEEXCEPTION`, "The request requires higher privileges"),
  idempotencyKeyReused: () =>
    new V3Error(
      422,
      `${PREFIX}IDEMPOTENCYKEYREUSEDEXCEPTION`,
      "The Idempotency-Key was used with another request",
    ),
  invalidIdempotencyKey: () =>
    new V3Error(
      400,
      `${PREFIX}INVALIDIDEMPOTENCYKEYEXCEPTION`,
      "Idempotency-Key must be 1 to 255 printable ASCII characters",
    ),
};

/** A classic refusal on the /rest/api/ address: its REST 3.0 code where the overview names one, else its own. */
export function asV3(error: RestError): V3Error {
  if (error instanceof V3Error) return error;
  if (error.code === "insufficient_scope") return V3Errors.insufficientScope();
  if (error.code === "ACCESS_DENIED" && error.status === 403) return V3Errors.accessDenied();
  return new V3Error(error.status, error.code, error.description);
}
