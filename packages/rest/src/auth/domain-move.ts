import { rebase } from "./auth-strategy.js";

/**
 * When may a portal's redirect be followed without asking anyone? The
 * documentation (`settings/how-to-call-rest-api/change-domen.md`) says a
 * renamed portal answers 302 to its new address and clients must re-POST
 * there — but the request carries credentials (a webhook's code in its path,
 * an access token in its body), so a redirect is followed only where it
 * cannot hand them to someone else:
 *
 * - never from https to http;
 * - another port of the same host;
 * - within the Bitrix24 cloud zone already in use (`a.bitrix24.de` →
 *   `b.bitrix24.de`: a renamed cloud portal keeps its zone, and every host
 *   under it is Bitrix24's own).
 *
 * Anything else (a custom domain, another zone) needs a confirmation the
 * redirect cannot forge: OAuth asks the OAuth server for the portal's
 * `client_endpoint` (oauth-auth.ts); webhooks and frames need the caller's
 * `trustMove` or a new URL.
 */
export function isSafeMove(fromUrl: string, toUrl: string): boolean {
  const from = new URL(fromUrl);
  const to = new URL(toUrl);
  if (!keepsTransportSecurity(from, to)) return false;
  if (from.hostname === to.hostname) return true;
  const zone = bitrix24Zone(from.hostname);
  return zone !== undefined && to.hostname.endsWith(`.${zone}`) && bitrix24Zone(to.hostname) === zone;
}

/** https may go to https only; http (a local emulator) to http or https. */
export function keepsTransportSecurity(from: URL, to: URL): boolean {
  if (to.protocol !== "https:" && to.protocol !== "http:") return false;
  return !(from.protocol === "https:" && to.protocol !== "https:");
}

/** `bitrix24.de` for `acme.bitrix24.de`, `bitrix24.com.br` for `acme.bitrix24.com.br`. */
function bitrix24Zone(hostname: string): string | undefined {
  return /^[a-z0-9-]+\.(bitrix24\.(?:[a-z]{2,3}|com\.[a-z]{2}|co\.[a-z]{2}))$/i
    .exec(hostname)?.[1]
    ?.toLowerCase();
}

/** A caller's own rule for moves the built-in one does not accept (e.g. a portal on its own domain). */
export type TrustMove = (from: string, to: string) => boolean;

/**
 * The new REST base for a move that needs no outside confirmation — safe by
 * the rule above, or vouched for by `trustMove` (given origins only, never
 * a path that could hold a webhook code) — else undefined.
 */
export function movedBase(baseUrl: string, location: string, trustMove?: TrustMove): string | undefined {
  const from = new URL(baseUrl).origin;
  const to = new URL(location).origin;
  if (!isSafeMove(baseUrl, location) && !trustMove?.(from, to)) return undefined;
  return rebase(baseUrl, location);
}
