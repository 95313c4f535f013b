import { createSessionSigner, SessionError } from "@b24kit/app";
import { FakeClock } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const SECRET = "frame-session-secret-of-at-least-32-bytes!";
const START = Date.UTC(2026, 5, 1, 9, 0, 0);
const SUBJECT = { memberId: "a1b2c3d4e5f60718293a4b5c6d7e8f90", userId: 7, placement: "CRM_DEAL_DETAIL_TAB" };

function signer(clock: FakeClock, options: { ttlSeconds?: number; maxLifetimeSeconds?: number } = {}) {
  return createSessionSigner(SECRET, { ttlSeconds: 900, clock, ...options });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionError) return error.code;
    throw error;
  }
  return undefined;
}

/** Replaces the JSON payload of a token, keeping its version and signature. */
function withPayload(token: string, edit: (payload: Record<string, unknown>) => void): string {
  const [version, payload, signature] = token.split(".");
  const json = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  edit(json);
  return [version, Buffer.from(JSON.stringify(json)).toString("base64url"), signature].join(".");
}

describe("frame sessions", () => {
  it("round-trips the portal, user and placement with the times on the clock", () => {
    const clock = new FakeClock(START);
    const sessions = signer(clock);
    const token = sessions.issue(SUBJECT);
    const claims = sessions.verify(token);
    expect(claims).toMatchObject({
      ...SUBJECT,
      startedAt: START,
      issuedAt: START,
      expiresAt: START + 900_000,
    });
    expect(claims.sessionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it("gives every issued token its own nonce and session id", () => {
    const sessions = signer(new FakeClock(START));
    const a = sessions.issue(SUBJECT);
    const b = sessions.issue(SUBJECT);
    expect(a).not.toBe(b);
    expect(sessions.verify(a).sessionId).not.toBe(sessions.verify(b).sessionId);
  });

  it("refuses a token signed with another secret", () => {
    const clock = new FakeClock(START);
    const foreign = createSessionSigner("another-secret-also-at-least-32-bytes-long", {
      ttlSeconds: 900,
      clock,
    });
    expect(codeOf(() => signer(clock).verify(foreign.issue(SUBJECT)))).toBe("SESSION_INVALID");
  });

  it("refuses a token whose payload or signature was changed", () => {
    const sessions = signer(new FakeClock(START));
    const token = sessions.issue(SUBJECT);
    const otherTenant = withPayload(token, (p) => {
      p.m = "ffffffffffffffffffffffffffffffff";
    });
    const otherUser = withPayload(token, (p) => {
      p.u = 1;
    });
    const longer = withPayload(token, (p) => {
      p.exp = (p.exp as number) + 86_400_000;
    });
    const sig = token.slice(-43);
    const flipped = token.slice(0, -43) + (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    for (const forged of [otherTenant, otherUser, longer, flipped])
      expect(codeOf(() => sessions.verify(forged))).toBe("SESSION_INVALID");
  });

  it("refuses anything that is not a token, without throwing anything but SessionError", () => {
    const sessions = signer(new FakeClock(START));
    const token = sessions.issue(SUBJECT);
    const [, payload, sig] = token.split(".");
    const malformed = [
      "",
      "abc",
      "v1..",
      `v2.${payload}.${sig}`,
      `${token}.`,
      `${token}=`,
      `v1.${payload}`,
      `v1.${payload}.${sig}${sig}`,
      `v1.${payload}!.${sig}`,
      `${token}${"A".repeat(5000)}`,
      "v1.bm90IGpzb24.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];
    for (const junk of malformed)
      expect(
        codeOf(() => sessions.verify(junk)),
        junk,
      ).toBe("SESSION_INVALID");
  });

  it("expires exactly ttl after issue", async () => {
    const clock = new FakeClock(START);
    const sessions = signer(clock);
    const token = sessions.issue(SUBJECT);
    await clock.advance(900_000 - 1);
    expect(sessions.verify(token).userId).toBe(7);
    await clock.advance(1);
    expect(codeOf(() => sessions.verify(token))).toBe("SESSION_EXPIRED");
  });

  it("refuses a token issued in the future beyond the clock-skew allowance", () => {
    const ahead = signer(new FakeClock(START + 31_000)).issue(SUBJECT);
    const slightlyAhead = signer(new FakeClock(START + 29_000)).issue(SUBJECT);
    const verifier = signer(new FakeClock(START));
    expect(codeOf(() => verifier.verify(ahead))).toBe("SESSION_INVALID");
    expect(verifier.verify(slightlyAhead).memberId).toBe(SUBJECT.memberId);
  });

  it("renews a valid token: same session, new expiry; an expired one stays expired", async () => {
    const clock = new FakeClock(START);
    const sessions = signer(clock);
    const first = sessions.issue(SUBJECT);
    await clock.advance(600_000);
    const renewed = sessions.renew(first);
    const claims = sessions.verify(renewed);
    expect(claims).toMatchObject({
      ...SUBJECT,
      sessionId: sessions.verify(first).sessionId,
      startedAt: START,
      issuedAt: START + 600_000,
      expiresAt: START + 1_500_000,
    });
    await clock.advance(300_000);
    expect(codeOf(() => sessions.verify(first))).toBe("SESSION_EXPIRED");
    expect(codeOf(() => sessions.renew(first))).toBe("SESSION_EXPIRED");
    expect(sessions.verify(renewed).userId).toBe(7);
    expect(codeOf(() => sessions.renew("v1.junk.junk"))).toBe("SESSION_INVALID");
  });

  it("stops renewing at the maximum lifetime counted from the first issue", async () => {
    const clock = new FakeClock(START);
    const sessions = signer(clock, { ttlSeconds: 900, maxLifetimeSeconds: 3600 });
    let token = sessions.issue(SUBJECT);
    for (let minute = 10; minute <= 50; minute += 10) {
      await clock.advance(600_000);
      token = sessions.renew(token);
    }
    // Renewed at 50 min: capped at 60 min, not 65.
    expect(sessions.verify(token).expiresAt).toBe(START + 3_600_000);
    await clock.advance(600_000);
    expect(codeOf(() => sessions.renew(token))).toBe("SESSION_EXPIRED");
  });

  it("keeps a tab alive for 12 hours by default, and not longer", async () => {
    const clock = new FakeClock(START);
    const sessions = signer(clock);
    let token = sessions.issue(SUBJECT);
    let renewals = 0;
    for (let attempt = 0; attempt < 100; attempt++) {
      await clock.advance(600_000);
      try {
        token = sessions.renew(token);
        renewals++;
      } catch (error) {
        expect((error as SessionError).code).toBe("SESSION_EXPIRED");
        break;
      }
    }
    expect(clock.now() - START).toBe(12 * 3_600_000);
    expect(renewals).toBe(71);
  });

  it("reads the token from Authorization: Bearer and from nowhere else", () => {
    const sessions = signer(new FakeClock(START));
    const token = sessions.issue(SUBJECT);
    const request = (headers: Record<string, string>) => new Request("https://app.example/api", { headers });
    expect(sessions.sessionFromRequest(request({ authorization: `Bearer ${token}` })).placement).toBe(
      "CRM_DEAL_DETAIL_TAB",
    );
    expect(sessions.sessionFromRequest(request({ authorization: `bearer ${token}` })).userId).toBe(7);
    expect(codeOf(() => sessions.sessionFromRequest(request({})))).toBe("SESSION_INVALID");
    expect(codeOf(() => sessions.sessionFromRequest(request({ cookie: `session=${token}` })))).toBe(
      "SESSION_INVALID",
    );
    expect(codeOf(() => sessions.sessionFromRequest(request({ authorization: `Basic ${token}` })))).toBe(
      "SESSION_INVALID",
    );
    expect(codeOf(() => sessions.sessionFromRequest(request({ authorization: "Bearer " })))).toBe(
      "SESSION_INVALID",
    );
  });

  it("answers 401 and never repeats the token in the error", () => {
    const clock = new FakeClock(START);
    const token = signer(clock).issue(SUBJECT);
    const foreign = createSessionSigner("another-secret-also-at-least-32-bytes-long", {
      ttlSeconds: 900,
      clock,
    });
    try {
      foreign.verify(token);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionError);
      expect((error as SessionError).status).toBe(401);
      expect(String((error as Error).message)).not.toContain(token.split(".")[1]!);
    }
  });

  it("refuses weak secrets and inconsistent settings at construction", () => {
    expect(() => createSessionSigner("short", { ttlSeconds: 900 })).toThrow(/at least 32 bytes/);
    expect(() => createSessionSigner(SECRET, { ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => createSessionSigner(SECRET, { ttlSeconds: 7200, maxLifetimeSeconds: 3600 })).toThrow(
      RangeError,
    );
    const sessions = signer(new FakeClock(START));
    expect(() => sessions.issue({ ...SUBJECT, userId: 0 })).toThrow(TypeError);
    expect(() => sessions.issue({ ...SUBJECT, memberId: "" })).toThrow(TypeError);
  });
});
