import { randomHex } from "./portal-post.js";

/**
 * One deliberate fault in a request the builders make, for security tests: the
 * runtime must refuse each (and change nothing).
 *
 * - `"wrong-application-token"`: another installation's token (`auth[application_token]`, `APPLICATION_TOKEN`);
 * - `"no-member-id"`: `member_id` left out;
 * - `"foreign-domain"`: the portal's address names another host (`auth[domain]` and
 *   `auth[client_endpoint]` of an event, the `DOMAIN` of a frame): {@link FOREIGN_DOMAIN};
 * - `"malformed-nesting"`: `member_id` sent nested (`…[member_id][0]=…`) where a string belongs;
 * - {@link oversizedBody}: the body padded past a size; {@link manyKeys}: the form padded to a field count.
 */
export type Tamper =
  | "wrong-application-token"
  | "no-member-id"
  | "foreign-domain"
  | "malformed-nesting"
  | { readonly oversizedBody: number }
  | { readonly manyKeys: number };

/** The host `"foreign-domain"` claims. */
export const FOREIGN_DOMAIN = "foreign-portal.example.com";

/** A body of at least `bytes` bytes (the runtime refuses inbound bodies over 256 KiB with 413). */
export const oversizedBody = (bytes: number): Tamper => ({ oversizedBody: bytes });

/** A form of at least `count` fields (the runtime refuses more than 5000 with 400). */
export const manyKeys = (count: number): Tamper => ({ manyKeys: count });

/** The fields of a request as a builder holds them before encoding, to fault in place. */
export interface TamperTarget {
  /** The map holding `member_id` and the application token (`auth` of an event, the form of a frame). */
  holder: Record<string, unknown>;
  applicationTokenKey: string;
  /** Points the request at `FOREIGN_DOMAIN`. */
  foreignDomain(): void;
}

/** Applies the field faults; the size faults are `padBody`'s, after encoding. */
export function tamperFields(tamper: Tamper | undefined, target: TamperTarget): void {
  const { holder } = target;
  if (tamper === "wrong-application-token") holder[target.applicationTokenKey] = randomHex(32);
  else if (tamper === "no-member-id") delete holder.member_id;
  else if (tamper === "malformed-nesting") holder.member_id = [holder.member_id];
  else if (tamper === "foreign-domain") target.foreignDomain();
}

/** An encoded body grown to the size or field count a size fault asks for. */
export function padBody(tamper: Tamper | undefined, body: string): string {
  if (typeof tamper !== "object") return body;
  if ("oversizedBody" in tamper) {
    const missing = tamper.oversizedBody - new TextEncoder().encode(body).byteLength - "&padding=".length;
    return missing > 0 ? `${body}&padding=${"x".repeat(missing)}` : `${body}&padding=x`;
  }
  const have = body === "" ? 0 : body.split("&").length;
  const extra = Array.from({ length: Math.max(0, tamper.manyKeys - have) }, (_, i) => `k${i}=1`);
  return [body, ...extra].filter(Boolean).join("&");
}
