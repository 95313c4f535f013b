import { VerificationError } from "../core/app-error.js";
import { type FormObject, field } from "./read-body.js";

/**
 * What the portal POSTs into the app's frame when a user opens the app page,
 * its installer or a placement (docs/protocol.md §2.2; settings/oauth/simple-way.md,
 * api-reference/widgets/_includes/widget_data.md): DOMAIN, PROTOCOL, LANG and
 * APP_SID in the query, the user's tokens and the placement in the form body.
 * Nothing here is trusted until inbound/verify-frame.ts has checked it.
 */
export interface FrameRequest {
  domain: string;
  /** https unless PROTOCOL=0. */
  protocol: "https" | "http";
  lang: string;
  appSid: string;
  memberId: string;
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  applicationToken: string;
  /** APPLICATION_SCOPE: the scopes the app holds on the portal. */
  scopes: string[];
  /** As the portal claims it (F, D, T, P, L, S); the trusted value comes from app.info. */
  status: string;
  placement: string;
  /** PLACEMENT_OPTIONS decoded (a JSON string on the wire; '' or junk → {}). */
  options: Record<string, unknown>;
}

/** A host the way the portal writes DOMAIN: name or address, optional port, nothing else. */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

export function parseFrameRequest(url: URL, form: FormObject): FrameRequest {
  const domain = (url.searchParams.get("DOMAIN") ?? "").trim().toLowerCase();
  const memberId = field(form, "member_id").trim();
  const accessToken = field(form, "AUTH_ID");
  if (!domain || !HOST.test(domain))
    throw new VerificationError("FRAME_DOMAIN_INVALID", "DOMAIN is missing or not a host name", 400);
  if (!/^[0-9a-z_-]{8,64}$/i.test(memberId))
    throw new VerificationError("FRAME_MEMBER_INVALID", "member_id is missing or malformed", 400);
  if (!accessToken) throw new VerificationError("FRAME_AUTH_MISSING", "AUTH_ID is missing", 401);
  return {
    domain,
    protocol: url.searchParams.get("PROTOCOL") === "0" ? "http" : "https",
    lang: (url.searchParams.get("LANG") ?? "en").slice(0, 8),
    appSid: (url.searchParams.get("APP_SID") ?? "").slice(0, 64),
    memberId,
    accessToken,
    refreshToken: field(form, "REFRESH_ID"),
    expiresInSeconds: Number(field(form, "AUTH_EXPIRES")) || 3600,
    applicationToken: field(form, "APPLICATION_TOKEN"),
    scopes: field(form, "APPLICATION_SCOPE")
      .split(/[,\s]+/)
      .filter(Boolean),
    status: field(form, "status"),
    placement: field(form, "PLACEMENT") || "DEFAULT",
    options: placementOptions(field(form, "PLACEMENT_OPTIONS")),
  };
}

/** PLACEMENT_OPTIONS is a JSON string; an empty string or anything but an object means none (§2.2.1). */
function placementOptions(raw: string): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The portal's REST base as this request names it. */
export function claimedEndpoint(frame: FrameRequest): string {
  return `${frame.protocol}://${frame.domain}/rest/`;
}
