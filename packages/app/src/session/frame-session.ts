import { z } from "zod";
import { bearerToken } from "./bearer-token.js";
import { SessionError } from "./session-error.js";
import { nonce, openSigned, secretBytes, sign } from "./signed-token.js";
import { systemClock, type WallClock } from "./wall-clock.js";

/** Who opened which placement: what a frame session vouches for. */
export interface SessionSubject {
  /** The portal (tenant key). */
  memberId: string;
  /** The portal user who opened the placement. */
  userId: number;
  /** The placement code (CRM_DEAL_DETAIL_TAB, …; DEFAULT for the app page). */
  placement: string;
}

export interface SessionClaims extends SessionSubject {
  /** Stays the same across renewals: one open tab, one id (for logs and the audit trail). */
  sessionId: string;
  /** When the placement was opened (epoch ms); renewals never move it. */
  startedAt: number;
  /** When this token was issued (epoch ms). */
  issuedAt: number;
  /** This token is refused from this moment on (epoch ms). */
  expiresAt: number;
}

export interface SessionSignerOptions {
  /** How long one token lives; the page's keep-alive renews it before then. */
  ttlSeconds: number;
  /** No renewal reaches past this long after the placement was opened. Default 12 h. */
  maxLifetimeSeconds?: number;
  /** How far in the future `issuedAt` may be (clocks of two processes differ a little). Default 30 s. */
  clockSkewSeconds?: number;
  /** Epoch milliseconds; defaults to `Date.now()`. */
  clock?: WallClock;
}

export interface SessionSigner {
  issue(subject: SessionSubject): string;
  /** The claims of a valid token; throws `SessionError` (SESSION_INVALID / SESSION_EXPIRED) otherwise. */
  verify(token: string): SessionClaims;
  /** A fresh token for the same session while the current one is valid and the session is under its maximum lifetime. */
  renew(token: string): string;
  /** The session of a request carrying `Authorization: Bearer <token>`; throws `SessionError` otherwise. */
  sessionFromRequest(request: { readonly headers: Headers }): SessionClaims;
}

/** Domain separation: see signed-token.ts. */
const PURPOSE = "b24kit/frame-session";

const payloadSchema = z.strictObject({
  m: z.string().min(1),
  u: z.number().int().positive(),
  p: z.string().min(1),
  sid: z.string().min(1),
  st: z.number().int(),
  iat: z.number().int(),
  exp: z.number().int(),
  n: z.string(),
});

/**
 * Frame ↔ backend sessions. The placement page is served with a short-lived
 * token bound to the portal, the user and the placement; the browser sends it
 * to the app's backend and renews it while the tab stays open. Stateless: any
 * process holding the secret can verify it, nothing is stored.
 */
export function createSessionSigner(
  secret: string | Uint8Array,
  options: SessionSignerOptions,
): SessionSigner {
  const key = secretBytes(secret);
  const ttlMs = seconds(options.ttlSeconds, "ttlSeconds");
  const maxLifetimeMs = seconds(options.maxLifetimeSeconds ?? 12 * 3600, "maxLifetimeSeconds");
  const skewMs = seconds(options.clockSkewSeconds ?? 30, "clockSkewSeconds", true);
  const clock = options.clock ?? systemClock;
  if (ttlMs > maxLifetimeMs) throw new RangeError("ttlSeconds must not exceed maxLifetimeSeconds");

  function mint(subject: SessionSubject, sessionId: string, startedAt: number): string {
    const now = Math.floor(clock.now());
    return sign(key, PURPOSE, {
      m: subject.memberId,
      u: subject.userId,
      p: subject.placement,
      sid: sessionId,
      st: startedAt,
      iat: now,
      exp: Math.min(now + ttlMs, startedAt + maxLifetimeMs),
      n: nonce(),
    });
  }

  function verify(token: string): SessionClaims {
    const parsed = payloadSchema.safeParse(openSigned(key, PURPOSE, token));
    if (!parsed.success)
      throw new SessionError("SESSION_INVALID", "The session token is not valid; reopen the app");
    const p = parsed.data;
    const now = clock.now();
    if (p.iat > now + skewMs || p.st > p.iat)
      throw new SessionError(
        "SESSION_INVALID",
        "The session token is not valid yet; check the server clocks",
      );
    if (now >= p.exp || now >= p.st + maxLifetimeMs)
      throw new SessionError("SESSION_EXPIRED", "The session has expired; reopen the app");
    return {
      memberId: p.m,
      userId: p.u,
      placement: p.p,
      sessionId: p.sid,
      startedAt: p.st,
      issuedAt: p.iat,
      expiresAt: p.exp,
    };
  }

  return {
    issue(subject) {
      checkSubject(subject);
      return mint(subject, nonce(), Math.floor(clock.now()));
    },
    verify,
    renew(token) {
      const claims = verify(token);
      return mint(claims, claims.sessionId, claims.startedAt);
    },
    sessionFromRequest(request) {
      const token = bearerToken(request.headers);
      if (token === undefined)
        throw new SessionError(
          "SESSION_INVALID",
          "Send the session token as 'Authorization: Bearer <token>'",
        );
      return verify(token);
    },
  };
}

function seconds(value: number, name: string, zeroAllowed = false): number {
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed))
    throw new RangeError(`${name} must be a positive number of seconds`);
  return Math.round(value * 1000);
}

function checkSubject(subject: SessionSubject): void {
  if (typeof subject.memberId !== "string" || !subject.memberId)
    throw new TypeError("memberId must be a non-empty string");
  if (!Number.isSafeInteger(subject.userId) || subject.userId <= 0)
    throw new TypeError("userId must be a positive integer");
  if (typeof subject.placement !== "string" || !subject.placement)
    throw new TypeError("placement must be a non-empty string");
}
