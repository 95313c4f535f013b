import { createHash } from "node:crypto";

/** Kept 24 hours (api-reference/rest-v3.md, "Repeated calls without duplicates"). */
const TTL_MS = 24 * 3600 * 1000;
/** Bounded: the oldest answers go first. */
const MAX_ENTRIES = 10_000;

interface Stored {
  bodyHash: string;
  status: number;
  answer: unknown;
  expiresAtMs: number;
}

/** A printable-ASCII key of 1 to 255 characters. */
export function validIdempotencyKey(key: string): boolean {
  return key.length >= 1 && key.length <= 255 && /^[\x20-\x7e]+$/.test(key);
}

export function bodyHash(params: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(params ?? {}))
    .digest("hex");
}

/**
 * Successful REST 3.0 answers by Idempotency-Key, per app or webhook, user and method: a repeat with
 * the same body gets the stored answer, the same key with another body is refused.
 */
export class IdempotencyStore {
  readonly #entries = new Map<string, Stored>();

  lookup(scope: string, key: string, nowMs: number): Stored | undefined {
    const entry = this.#entries.get(`${scope}|${key}`);
    if (entry && entry.expiresAtMs <= nowMs) {
      this.#entries.delete(`${scope}|${key}`);
      return undefined;
    }
    return entry;
  }

  remember(scope: string, key: string, entry: Omit<Stored, "expiresAtMs">, nowMs: number): void {
    this.#entries.set(`${scope}|${key}`, { ...entry, expiresAtMs: nowMs + TTL_MS });
    while (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
