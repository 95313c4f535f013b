import type { TimeBlock } from "../portal-time.js";
import type { MethodOutput } from "./method-def.js";
import type { RestError } from "./rest-error.js";

/** How a call ended: the method's output and the portal's time block, or the error the portal answers. */
export type CallOutcome =
  | { ok: true; output: MethodOutput; time: TimeBlock }
  | { ok: false; error: RestError };
