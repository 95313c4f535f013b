import { z } from "zod";
import { SessionError } from "./session-error.js";
import { nonce, openSigned, secretBytes, sign } from "./signed-token.js";
import { systemClock, type WallClock } from "./wall-clock.js";

export interface StateInput {
  /** The portal the authorization was started for, when known. */
  memberId?: string;
  /** Where to send the user after the code exchange: a path on this app ("/settings?tab=2"). */
  returnTo?: string;
}

export interface StateClaims extends StateInput {
  issuedAt: number;
  expiresAt: number;
}

export interface StateSignerOptions {
  /** Default 600 s: the user has ten minutes to complete the portal's consent screen. */
  ttlSeconds?: number;
  /** Default 30 s; see SessionSignerOptions. */
  clockSkewSeconds?: number;
  clock?: WallClock;
}

export interface StateSigner {
  issue(input?: StateInput): string;
  /** The claims of a valid state; throws `SessionError` (STATE_INVALID / STATE_EXPIRED) otherwise. */
  verify(state: string): StateClaims;
}

/** Domain separation from frame sessions: see signed-token.ts. */
const PURPOSE = "b24kit/oauth-state";

/**
 * Only a path on the app itself: `//host` and `/\host` are protocol-relative
 * in browsers, so an absolute or scheme-relative target would make the OAuth
 * redirect an open redirect.
 */
const RETURN_TO = /^\/(?![/\\])[^\s\\]*$/;

const payloadSchema = z.strictObject({
  m: z.string().min(1).optional(),
  r: z.string().regex(RETURN_TO).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  n: z.string(),
});

/**
 * The OAuth `state` parameter (protocol.md §1.2; settings/oauth/index.md): the
 * portal echoes it back unchanged with the code, so a signed, expiring state
 * lets the redirect refuse a code the app did not ask for. Stateless: not
 * single-use, which the short lifetime makes up for.
 */
export function createStateSigner(
  secret: string | Uint8Array,
  options: StateSignerOptions = {},
): StateSigner {
  const key = secretBytes(secret);
  const ttlMs = Math.round((options.ttlSeconds ?? 600) * 1000);
  const skewMs = Math.round((options.clockSkewSeconds ?? 30) * 1000);
  const clock = options.clock ?? systemClock;
  if (!(ttlMs > 0)) throw new RangeError("ttlSeconds must be a positive number of seconds");
  if (!(skewMs >= 0)) throw new RangeError("clockSkewSeconds must not be negative");

  return {
    issue(input = {}) {
      if (input.memberId !== undefined && (typeof input.memberId !== "string" || !input.memberId))
        throw new TypeError("memberId must be a non-empty string");
      if (input.returnTo !== undefined && !RETURN_TO.test(input.returnTo))
        throw new TypeError("returnTo must be a path on this app, starting with a single '/'");
      const now = Math.floor(clock.now());
      return sign(key, PURPOSE, {
        ...(input.memberId !== undefined && { m: input.memberId }),
        ...(input.returnTo !== undefined && { r: input.returnTo }),
        iat: now,
        exp: now + ttlMs,
        n: nonce(),
      });
    },
    verify(state) {
      const parsed = payloadSchema.safeParse(openSigned(key, PURPOSE, state));
      if (!parsed.success)
        throw new SessionError(
          "STATE_INVALID",
          "The OAuth state is not valid; start the authorization again",
        );
      const p = parsed.data;
      const now = clock.now();
      if (p.iat > now + skewMs)
        throw new SessionError("STATE_INVALID", "The OAuth state is not valid yet; check the server clocks");
      if (now >= p.exp)
        throw new SessionError("STATE_EXPIRED", "The OAuth state has expired; start the authorization again");
      return {
        ...(p.m !== undefined && { memberId: p.m }),
        ...(p.r !== undefined && { returnTo: p.r }),
        issuedAt: p.iat,
        expiresAt: p.exp,
      };
    },
  };
}
