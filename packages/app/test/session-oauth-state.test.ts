import { createSessionSigner, createStateSigner, SessionError } from "@b24kit/app";
import { FakeClock } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const SECRET = "one-secret-for-sessions-and-states-32b+";
const START = Date.UTC(2026, 5, 1, 9, 0, 0);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionError) return error.code;
    throw error;
  }
  return undefined;
}

describe("OAuth state", () => {
  it("round-trips the portal and the return path", () => {
    const states = createStateSigner(SECRET, { clock: new FakeClock(START) });
    const state = states.issue({ memberId: "a1b2c3d4", returnTo: "/settings?tab=2" });
    expect(states.verify(state)).toEqual({
      memberId: "a1b2c3d4",
      returnTo: "/settings?tab=2",
      issuedAt: START,
      expiresAt: START + 600_000,
    });
    expect(states.verify(states.issue())).toEqual({ issuedAt: START, expiresAt: START + 600_000 });
    expect(states.issue()).not.toBe(states.issue());
  });

  it("expires after ten minutes by default", async () => {
    const clock = new FakeClock(START);
    const states = createStateSigner(SECRET, { clock });
    const state = states.issue({ memberId: "a1b2c3d4" });
    await clock.advance(599_999);
    expect(states.verify(state).memberId).toBe("a1b2c3d4");
    await clock.advance(1);
    expect(codeOf(() => states.verify(state))).toBe("STATE_EXPIRED");
  });

  it("never accepts a session token as a state, or a state as a session token, under the same secret", () => {
    const clock = new FakeClock(START);
    const states = createStateSigner(SECRET, { clock });
    const sessions = createSessionSigner(SECRET, { ttlSeconds: 900, clock });
    const session = sessions.issue({ memberId: "a1b2c3d4", userId: 1, placement: "DEFAULT" });
    const state = states.issue({ memberId: "a1b2c3d4" });
    expect(codeOf(() => states.verify(session))).toBe("STATE_INVALID");
    expect(codeOf(() => sessions.verify(state))).toBe("SESSION_INVALID");
    // Both are well-formed for their own signer.
    expect(sessions.verify(session).memberId).toBe("a1b2c3d4");
    expect(states.verify(state).memberId).toBe("a1b2c3d4");
  });

  it("refuses another secret's state, a changed one and one from the future", () => {
    const clock = new FakeClock(START);
    const states = createStateSigner(SECRET, { clock });
    const foreign = createStateSigner("a-different-secret-that-is-32-bytes-long", { clock });
    expect(codeOf(() => states.verify(foreign.issue({ memberId: "m" })))).toBe("STATE_INVALID");
    const [v, payload, sig] = states.issue({ returnTo: "/ok" }).split(".");
    const edited = Buffer.from(
      Buffer.from(payload!, "base64url").toString("utf8").replace("/ok", "/no"),
    ).toString("base64url");
    expect(codeOf(() => states.verify([v, edited, sig].join(".")))).toBe("STATE_INVALID");
    expect(codeOf(() => states.verify("9f2c1e"))).toBe("STATE_INVALID");
    const future = createStateSigner(SECRET, { clock: new FakeClock(START + 60_000) }).issue();
    expect(codeOf(() => states.verify(future))).toBe("STATE_INVALID");
  });

  it("takes only a path on the app as return target (no open redirect)", () => {
    const states = createStateSigner(SECRET, { clock: new FakeClock(START) });
    for (const target of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "x",
    ])
      expect(() => states.issue({ returnTo: target }), target).toThrow(TypeError);
    expect(states.verify(states.issue({ returnTo: "/deals/5?x=1#top" })).returnTo).toBe("/deals/5?x=1#top");
  });

  it("answers 403 with a SessionError", () => {
    const states = createStateSigner(SECRET);
    try {
      states.verify("nope");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionError);
      expect((error as SessionError).status).toBe(403);
    }
  });
});
