import type { B24Error } from "../errors/b24-error.js";

/** What a request needs to reach the portal as someone. */
export interface AuthContext {
  /** REST base URL ending with "/" (a webhook URL, or the portal's client_endpoint). */
  baseUrl: string;
  /** Access token sent as the `auth` parameter; absent for webhooks. */
  accessToken?: string;
}

/**
 * One interface for every way of calling a portal: incoming webhook, OAuth
 * tokens from a store, or a token handed over by the frame.
 */
export interface AuthStrategy {
  /** Stable key of the portal (member_id, or the webhook's host): limits and locks are shared under it. */
  readonly portalKey: string;
  current(): Promise<AuthContext>;
  /** Called after 401 expired_token/invalid_token; resolves true when a retry with fresh credentials makes sense. */
  renew(rejected: AuthContext, error: B24Error): Promise<boolean>;
  /**
   * The portal answered a request to `rejected.baseUrl` with a redirect to
   * `location`. Resolve true only once the move is confirmed and remembered
   * (later `current()` calls return the new base); false refuses it and
   * nothing is sent there. A strategy without this method refuses every move.
   */
  followMove?(rejected: AuthContext, location: string): Promise<boolean>;
}

/** Replaces the origin of `url` with the origin of `toUrl` (a domain move keeps paths). */
export function rebase(url: string, toUrl: string): string {
  const next = new URL(url);
  const to = new URL(toUrl);
  next.protocol = to.protocol;
  next.host = to.host;
  return next.toString();
}
