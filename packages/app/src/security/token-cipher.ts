import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest (tokens, application_token). The tenant's
 * member_id is the additional authenticated data, so a ciphertext copied to
 * another tenant's row fails to decrypt instead of leaking a token.
 * Format: "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts); the key id
 * allows rotation: old rows stay readable while new ones use the new key.
 */
export class TokenCipher {
  readonly #keys: Map<string, Buffer>;
  readonly #currentKeyId: string;

  constructor(keys: Record<string, Buffer>, currentKeyId: string) {
    this.#keys = new Map(Object.entries(keys));
    for (const [id, key] of this.#keys) {
      if (key.length !== 32) throw new Error(`Encryption key "${id}" must be 32 bytes, got ${key.length}`);
      if (!/^[A-Za-z0-9_-]+$/.test(id))
        throw new Error(`Encryption key id "${id}" may use A-Z a-z 0-9 _ - only`);
    }
    if (!this.#keys.has(currentKeyId)) throw new Error(`No encryption key with id "${currentKeyId}"`);
    this.#currentKeyId = currentKeyId;
  }

  encrypt(plaintext: string, memberId: string): string {
    const key = this.#keys.get(this.#currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(memberId, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url"));
    return ["v1", this.#currentKeyId, ...parts].join(".");
  }

  decrypt(sealed: string, memberId: string): string {
    const [version, keyId, iv, tag, ct] = sealed.split(".");
    if (version !== "v1" || !keyId || !iv || !tag || ct === undefined) {
      throw new Error("Not a sealed token (expected v1.<keyId>.<iv>.<tag>.<ciphertext>)");
    }
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`Token was sealed with unknown key "${keyId}"; add that key to decrypt it`);
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(memberId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  }
}
