import qs from "qs";
import type { Params } from "../calls/params.js";
import { QS_OPTIONS } from "../calls/qs-options.js";

/**
 * Query-string and body parameters merged (body wins), without the official
 * SDK's telemetry parameters (`bx24_*`), which the portal ignores (§3.1).
 */
export function requestParams(rawUrl: string, body: unknown): Params {
  const q = rawUrl.indexOf("?");
  const query = q === -1 ? {} : (qs.parse(rawUrl.slice(q + 1), QS_OPTIONS) as Params);
  const fromBody = body && typeof body === "object" && !Array.isArray(body) ? (body as Params) : {};
  const merged: Params = { ...query, ...fromBody };
  for (const key of Object.keys(merged)) if (key.startsWith("bx24_")) delete merged[key];
  return merged;
}
