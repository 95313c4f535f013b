import { createHash } from "node:crypto";

/**
 * SHA-256 digests of sealed secrets, by tenant and sealed text: what
 * `verifyApplicationToken` compares a candidate with. Opening a sealed token
 * (AES-GCM) on every event POST costs more than the rest of its check; the
 * digest of a given sealed text never changes, so it is kept. Never stale:
 * a new token is new sealed text, read from the store on every check. Holds
 * digests only, never a token; the oldest go past `max` entries.
 */
export class TokenDigests {
  readonly #max: number;
  readonly #entries = new Map<string, Buffer>();

  constructor(max = 1000) {
    this.#max = max;
  }

  /** The digest of `open()` (the sealed text opened), computed once per tenant and sealed text. */
  of(memberId: string, sealed: string, open: () => string): Buffer {
    // The member_id is part of the key: the same sealed text under another tenant must fail to open.
    const key = `${memberId}\n${sealed}`;
    let digest = this.#entries.get(key);
    if (!digest) {
      digest = sha256(open());
      this.#entries.set(key, digest);
      if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    return digest;
  }
}

export function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
