import { param } from "../calls/params.js";
import type { RestTarget } from "../rest-endpoint/authenticate.js";

/** Who is called and how: `/rest/{method}` with `auth` (or a Bearer token), or `/rest/{user}/{code}/{method}` (a webhook). */
export function parseTarget(
  url: string,
  params: Record<string, unknown>,
  authorization?: string,
): { target: RestTarget; method: string; format: "json" | "xml" } {
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
    // The token as the `auth` parameter, or as `Authorization: Bearer <token>` as the docs' OAuth
    // examples send it (e.g. api-reference/tasks/flow/tasks-flow-flow-create.md).
    const auth = param(params, "auth");
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const token = typeof auth === "string" && auth !== "" ? auth : bearer;
    target = { kind: "oauth", token };
    method = segments.join("/");
  }
  const format = /\.xml$/i.test(method) ? "xml" : "json";
  return { target, method: method.replace(/\.(json|xml)$/i, "").toLowerCase(), format };
}
