/** What every request builder shares: where it goes and who the portal claims to be. */
export interface PortalRequestOptions {
  /** The app's public URL (its `config.publicUrl`); a missing trailing slash is added. */
  appUrl: string;
  /** A path under `appUrl` instead of the route's own (`b24/install` for a headless app's ONAPPINSTALL). */
  path?: string;
  /** The portal's `member_id` (32 hex characters on a real portal). */
  memberId: string;
  /** The portal's host, with a port if it has one (default `example.bitrix24.com`). */
  domain?: string;
  /** How the portal is reached (default https): the `client_endpoint` scheme, `PROTOCOL` of a frame. */
  protocol?: "https" | "http";
  /** The OAuth server's REST base as the portal names it (default `https://oauth.bitrix.info/rest/`). */
  serverEndpoint?: string;
}

export const DEFAULT_DOMAIN = "example.bitrix24.com";
export const DEFAULT_SERVER_ENDPOINT = "https://oauth.bitrix.info/rest/";

/** `path` under the app's URL, whether or not `appUrl` ends in a slash. */
export function appEndpoint(appUrl: string, path: string): URL {
  const base = appUrl.endsWith("/") ? appUrl : `${appUrl}/`;
  return new URL(path.replace(/^\/+/, ""), base);
}

export function clientEndpoint(options: PortalRequestOptions): string {
  return `${options.protocol ?? "https"}://${options.domain ?? DEFAULT_DOMAIN}/rest/`;
}

/** A form POST as the portal (or the user's browser, for frames) sends it. */
export function formPost(url: URL | string, body: string): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** Random lower-case hex: the shape of member_id, tokens and APP_SID on a real portal. */
export function randomHex(length = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, length);
}

/** Unix seconds: `ts` and `expires` are seconds on the wire. */
export function unixSeconds(clock?: { now(): number }): number {
  return Math.floor((clock?.now() ?? Date.now()) / 1000);
}
