import { param } from "../calls/params.js";
import type { RestTarget } from "../rest-endpoint/authenticate.js";

/** Who is called and how: `/rest/{method}` with `auth`, or `/rest/{user}/{code}/{method}` (a webhook). */
export function parseTarget(
  url: string,
  params: Record<string, unknown>,
): { target: RestTarget; method: string } {
  const path = url.split("?")[0] ?? "";
  // The official OAuth client builds "/rest//method": empty segments are ignored.
  const segments = path.split("/").filter(Boolean).slice(1);
  let method: string;
  let target: RestTarget;
  const [first, second] = segments;
  if (segments.length >= 3 && first && second && /^\d+$/.test(first)) {
    target = { kind: "webhook", userId: Number(first), code: second };
    method = segments.slice(2).join("/");
  } else {
    const auth = param(params, "auth");
    target = { kind: "oauth", token: typeof auth === "string" && auth !== "" ? auth : undefined };
    method = segments.join("/");
  }
  return { target, method: method.replace(/\.(json|xml)$/i, "").toLowerCase() };
}
