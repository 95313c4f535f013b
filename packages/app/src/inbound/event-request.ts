import { VerificationError } from "../core/app-error.js";
import { type FormObject, field, group } from "./read-body.js";

/**
 * An event POST as the portal sends it (docs/protocol.md §7.5, §2.4–2.6):
 * `event`, `data[…]`, `ts`, `auth[…]` form-encoded with PHP bracket keys.
 */
export interface EventRequest {
  event: string;
  data: FormObject;
  memberId: string;
  applicationToken: string;
  /** The auth block (tokens only where the portal includes them: ONAPPINSTALL, ONAPPUPDATE, …). */
  auth: FormObject;
  ts: string;
}

export function parseEventRequest(form: FormObject): EventRequest {
  const auth = group(form, "auth");
  const event = field(form, "event").toUpperCase();
  const memberId = field(auth, "member_id");
  if (!event) throw new VerificationError("EVENT_MALFORMED", "The event name is missing", 400);
  if (!/^[0-9a-z_-]{8,64}$/i.test(memberId))
    throw new VerificationError("EVENT_MALFORMED", "auth[member_id] is missing or malformed", 400);
  return {
    event,
    data: group(form, "data"),
    memberId,
    applicationToken: field(auth, "application_token"),
    auth,
    ts: field(form, "ts"),
  };
}
