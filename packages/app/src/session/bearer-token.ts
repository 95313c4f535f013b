/**
 * The token of `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is
 * case-insensitive), or undefined.
 *
 * Only this header, never a cookie: the app runs in the portal's iframe, a
 * third-party context where browsers block or partition cookies (Safari ITP,
 * Chrome's third-party cookie phase-out), so a cookie session would break at
 * random; a header sent explicitly by the page's own code also cannot be
 * ridden by cross-site requests (no CSRF).
 */
export function bearerToken(headers: Headers): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(headers.get("authorization") ?? "");
  return match?.[1];
}
