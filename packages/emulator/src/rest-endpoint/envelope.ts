import type { CallOutcome } from "../calls/call-outcome.js";
import { EmptyPhpObject } from "../calls/php-object.js";
import { Errors, RestError } from "../calls/rest-error.js";

/**
 * JSON as PHP's json_encode produces it: an empty associative array is `[]`,
 * never `{}` (docs/protocol.md §0.3), while an object without properties stays `{}`
 * (calls/php-object.ts). Applies at every depth.
 */
export function phpJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (
      v &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      Object.keys(v).length === 0 &&
      !(v instanceof Date) &&
      !(v instanceof EmptyPhpObject)
    ) {
      return [];
    }
    return v;
  });
}

/**
 * The one mapping from a call's outcome to what the portal answers: the
 * success envelope (`result`, `total` and `next` for lists, `time`) with 200,
 * or the error envelope with the error's own status (docs/protocol.md §3.3, §3.4).
 */
export function envelopeOf(outcome: CallOutcome): { status: number; body: Record<string, unknown> } {
  if (!outcome.ok) return { status: outcome.error.status, body: outcome.error.body() };
  const { result, total, next } = outcome.output;
  return {
    status: 200,
    body: {
      result,
      ...(total !== undefined ? { total } : {}),
      ...(next !== undefined ? { next } : {}),
      time: outcome.time,
    },
  };
}

/** A refusal before any method ran (auth, plan, limits) as an outcome; anything unexpected is an internal error. */
export function refusal(error: unknown): CallOutcome {
  if (error instanceof RestError) return { ok: false, error };
  console.error("emulator: request failed", error);
  return { ok: false, error: Errors.internal() };
}
