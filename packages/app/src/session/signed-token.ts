import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The envelope shared by frame sessions and OAuth states:
 * `v1.<base64url JSON payload>.<base64url HMAC-SHA256>`.
 *
 * The MAC covers the purpose too (`<purpose>\n v1.<payload>`), so a token made
 * for one purpose never verifies as another even though both share a secret
 * and a format: a session token cannot pass as an OAuth state, or back.
 */
const VERSION = "v1";
/** 32 bytes of SHA-256 in unpadded base64url. */
const SIGNATURE_CHARS = 43;
/** Far above any real payload; bounds the work done on junk from a header. */
const MAX_TOKEN_CHARS = 4096;
const TOKEN_SHAPE = /^v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Minimum secret length: 32 bytes, as `sessionSecret` in the app configuration. */
export const MIN_SECRET_BYTES = 32;

export function secretBytes(secret: string | Uint8Array): Buffer {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES)
    throw new Error(`The signing secret must be at least ${MIN_SECRET_BYTES} bytes (B24KIT_SESSION_SECRET)`);
  return bytes;
}

function mac(secret: Buffer, purpose: string, signedPart: string): string {
  return createHmac("sha256", secret).update(`${purpose}\n${signedPart}`, "utf8").digest("base64url");
}

export function sign(secret: Buffer, purpose: string, payload: object): string {
  const signedPart = `${VERSION}.${Buffer.from(JSON.stringify(payload), "utf8").toString("base64url")}`;
  return `${signedPart}.${mac(secret, purpose, signedPart)}`;
}

/**
 * The payload of a token whose MAC matches, or undefined for anything else
 * (wrong format, another secret, another purpose, a changed byte). The MAC is
 * compared on the encoded text in constant time, so only the canonical
 * encoding of a signature is accepted.
 */
export function openSigned(secret: Buffer, purpose: string, token: string): unknown {
  if (token.length > MAX_TOKEN_CHARS) return undefined;
  const match = TOKEN_SHAPE.exec(token);
  if (!match || match[2]!.length !== SIGNATURE_CHARS) return undefined;
  const expected = Buffer.from(mac(secret, purpose, `${VERSION}.${match[1]}`), "ascii");
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, "ascii"))) return undefined;
  try {
    return JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** 96 random bits, base64url: makes every token unique. */
export function nonce(): string {
  return randomBytes(12).toString("base64url");
}
