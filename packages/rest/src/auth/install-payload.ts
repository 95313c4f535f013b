import { B24Error } from "../errors/b24-error.js";
import { type AuthPayload, tokensFromAuth } from "./auth-payload.js";
import type { OAuthTokens } from "./token-store.js";

/**
 * An install request's body as an app has it at hand: the raw form (`a=1&b=2`), its fields
 * (`URLSearchParams`, or a record with `auth[access_token]` keys), or a parsed object (`{ auth: {…} }`).
 */
export type InstallPayload = string | URLSearchParams | Record<string, unknown>;

export interface InstallPayloadOptions {
  /**
   * The request's URL. The installer page's POST names the portal only in its query (DOMAIN,
   * PROTOCOL), so its REST address comes from here; ONAPPINSTALL carries it in the body.
   */
  url?: string | URL;
  /** The clock `expires_in` counts from (default now). */
  nowMs?: number;
}

/**
 * The tokens to put in a TokenStore from the request that installs an app on a portal, in either of
 * the portal's two shapes (docs/protocol.md §2.2–2.4):
 * - ONAPPINSTALL, the headless install handler's POST: `auth[access_token]`, `auth[refresh_token]`,
 *   `auth[expires]` (Unix seconds), `auth[expires_in]` (seconds), `auth[client_endpoint]`,
 *   `auth[server_endpoint]`, `auth[member_id]`, … — also the `auth` of the emulator's install;
 * - the installer page's POST (an app with an install page): `AUTH_ID`, `REFRESH_ID`, `AUTH_EXPIRES`
 *   (seconds), `SERVER_ENDPOINT`, `member_id`, with DOMAIN and PROTOCOL in the URL's query.
 * It only reads the payload: whether the request really came from the portal is the caller's to check
 * (the app runtime confirms it through the OAuth server).
 */
export function tokensFromInstall(payload: InstallPayload, options: InstallPayloadOptions = {}): OAuthTokens {
  const fields = formFields(payload);
  const auth = isRecord(fields.auth) ? fields.auth : bracketGroup(fields, "auth");
  if (text(auth.access_token)) return tokensFromAuth(checked(onappinstall(auth)), options.nowMs);
  if (text(fields.AUTH_ID)) return tokensFromAuth(checked(installerPage(fields, options.url)), options.nowMs);
  throw invalid(
    "neither auth[access_token] (ONAPPINSTALL) nor AUTH_ID (the installer page's POST) is in the payload",
  );
}

/** ONAPPINSTALL's auth block; old payloads name only the domain, from which the REST base follows. */
function onappinstall(auth: Record<string, unknown>): Partial<AuthPayload> {
  const domain = text(auth.domain);
  return {
    ...(auth as Partial<AuthPayload>),
    access_token: text(auth.access_token),
    client_endpoint: text(auth.client_endpoint) || (domain ? `https://${domain}/rest/` : ""),
    server_endpoint: text(auth.server_endpoint),
    member_id: text(auth.member_id),
  };
}

function installerPage(fields: Record<string, unknown>, url: string | URL | undefined): Partial<AuthPayload> {
  const query = url ? new URL(url).searchParams : new URLSearchParams();
  const domain = text(fields.DOMAIN) || (query.get("DOMAIN") ?? "");
  if (!domain)
    throw invalid(
      "the installer page's POST names its portal only in the URL's query (DOMAIN): pass { url }",
    );
  const protocol = (text(fields.PROTOCOL) || query.get("PROTOCOL")) === "0" ? "http" : "https";
  return {
    access_token: text(fields.AUTH_ID),
    refresh_token: text(fields.REFRESH_ID),
    expires_in: text(fields.AUTH_EXPIRES),
    client_endpoint: `${protocol}://${domain}/rest/`,
    server_endpoint: text(fields.SERVER_ENDPOINT),
    member_id: text(fields.member_id),
    domain,
  };
}

/** Every field a store needs is there, and the two addresses are web addresses. */
function checked(auth: Partial<AuthPayload>): AuthPayload {
  const missing = (["access_token", "member_id", "client_endpoint", "server_endpoint"] as const).filter(
    (key) => !auth[key],
  );
  if (missing.length > 0) throw invalid(`the payload has no ${missing.join(", ")}`);
  for (const key of ["client_endpoint", "server_endpoint"] as const) {
    if (!/^https?:$/.test(parsedProtocol(auth[key]!)))
      throw invalid(`${key} is not an http(s) address: ${JSON.stringify(auth[key]!.slice(0, 100))}`);
  }
  return auth as AuthPayload;
}

function formFields(payload: InstallPayload): Record<string, unknown> {
  if (typeof payload === "string") return Object.fromEntries(new URLSearchParams(payload.replace(/^\?/, "")));
  if (payload instanceof URLSearchParams) return Object.fromEntries(payload);
  return payload;
}

/** `auth[member_id]=…` fields as `{ member_id: … }` (a body nobody decoded into nested objects). */
function bracketGroup(fields: Record<string, unknown>, group: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const m = key.startsWith(`${group}[`) ? /^[^[]+\[([^\]]+)\]$/.exec(key) : null;
    if (m) out[m[1]!] = value;
  }
  return out;
}

function parsedProtocol(address: string): string {
  try {
    return new URL(address).protocol;
  } catch {
    return "";
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(description: string): B24Error {
  return new B24Error({ code: "INVALID_INSTALL_PAYLOAD", status: 0, kind: "usage", description });
}
