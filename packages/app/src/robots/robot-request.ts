import { VerificationError } from "../core/app-error.js";
import { type FormObject, field, group } from "../inbound/read-body.js";

/**
 * The POST the portal sends when a robot runs. The documentation does not
 * describe it; its fields are the official SDKs' (b24phpsdk
 * IncomingRobotRequest, b24jssdk ActivityHandlerParams): `workflow_id`,
 * `code`, `document_id[3]`, `document_type[3]`, `event_token`,
 * `properties[…]`, `use_subscription`, `timeout_duration`, `ts`, `auth[…]`.
 */
export interface RobotRequest {
  code: string;
  workflowId: string;
  /** `["crm", "CCrmDocumentDeal", "DEAL_42"]`. */
  documentId: string[];
  documentType: string[];
  /** The credential bizproc.event.send answers with: kept with the job until the answer is sent. */
  eventToken: string;
  properties: FormObject;
  waitsForAnswer: boolean;
  memberId: string;
  applicationToken: string;
  userId?: number;
}

const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : value && typeof value === "object"
      ? Object.values(value).map(String)
      : [];

export function parseRobotRequest(form: FormObject): RobotRequest {
  const auth = group(form, "auth");
  const memberId = field(auth, "member_id");
  const code = field(form, "code");
  if (!/^[0-9a-z_-]{8,64}$/i.test(memberId))
    throw new VerificationError("ROBOT_MALFORMED", "auth[member_id] is missing or malformed", 400);
  if (!code) throw new VerificationError("ROBOT_MALFORMED", "The robot's code is missing", 400);
  const userId = Number(field(auth, "user_id"));
  return {
    code,
    workflowId: field(form, "workflow_id"),
    documentId: list(form.document_id),
    documentType: list(form.document_type),
    eventToken: field(form, "event_token"),
    properties: group(form, "properties"),
    waitsForAnswer: field(form, "use_subscription") !== "N",
    memberId,
    applicationToken: field(auth, "application_token"),
    ...(Number.isInteger(userId) && userId > 0 ? { userId } : {}),
  };
}
