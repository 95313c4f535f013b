import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenCipher } from "../src/index.js";

describe("TokenCipher", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it("round-trips and never stores the plaintext", () => {
    const c = new TokenCipher({ k1 }, "k1");
    const sealed = c.encrypt("access-token-123", "member-a");
    expect(sealed).not.toContain("access-token-123");
    expect(c.decrypt(sealed, "member-a")).toBe("access-token-123");
  });

  it("refuses a ciphertext moved to another tenant or tampered with", () => {
    const c = new TokenCipher({ k1 }, "k1");
    const sealed = c.encrypt("secret", "member-a");
    expect(() => c.decrypt(sealed, "member-b")).toThrow();
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[4]!, "base64url");
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[4] = ct.toString("base64url");
    expect(() => c.decrypt(parts.join("."), "member-a")).toThrow();
  });

  it("reads rows sealed with an older key after rotation", () => {
    const old = new TokenCipher({ k1 }, "k1").encrypt("old-secret", "m");
    const rotated = new TokenCipher({ k1, k2 }, "k2");
    expect(rotated.decrypt(old, "m")).toBe("old-secret");
    expect(rotated.encrypt("new", "m").split(".")[1]).toBe("k2");
  });
});
