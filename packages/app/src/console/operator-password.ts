import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt's cost: 2^14 × 8 × 128 B = 16 MiB and some 50 ms a check, per OWASP's minimum. */
const DEFAULT_COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const HASH_SHAPE = /^scrypt\.(\d{1,8})\.(\d{1,3})\.(\d{1,3})\.([A-Za-z0-9_-]{16,})\.([A-Za-z0-9_-]{32,})$/;

export interface ScryptCost {
  /** CPU/memory cost, a power of two (default 16384). */
  N: number;
  /** Block size (default 8). */
  r: number;
  /** Parallelism (default 1). */
  p: number;
}

function derive(password: string, salt: Buffer, cost: ScryptCost, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      bytes,
      { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * A console operator's password hash for `createApp({ console: { operators } })` or
 * `B24KIT_CONSOLE_OPERATORS=name:hash`: `scrypt.N.r.p.salt.key` (node:crypto's scrypt, a random
 * salt, base64url). Without b24kit: `node -e 'const c=require("node:crypto");const s=c.randomBytes(16);
 * console.log(["scrypt",16384,8,1,s.toString("base64url"),c.scryptSync(process.argv[1].normalize("NFKC"),s,32).toString("base64url")].join("."))' 'password'`.
 */
export async function hashOperatorPassword(
  password: string,
  cost: ScryptCost = DEFAULT_COST,
): Promise<string> {
  if (typeof password !== "string" || password.length < 8)
    throw new RangeError("An operator password needs at least 8 characters");
  if (!Number.isInteger(Math.log2(cost.N)) || cost.N < 2)
    throw new RangeError("scrypt's N must be a power of two");
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, KEY_BYTES);
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64url"), key.toString("base64url")].join(".");
}

/** Stands in for an unknown operator, so that a wrong name costs as long as a wrong password. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `hash` (constant-time on the derived keys). With no hash (an unknown
 * name) a decoy hash is checked instead and the answer is false: the time taken tells nothing.
 */
export async function verifyOperatorPassword(hash: string | undefined, password: string): Promise<boolean> {
  decoy ??= hashOperatorPassword("decoy password, never matches");
  const parts = HASH_SHAPE.exec(hash ?? (await decoy));
  if (!parts) return false;
  const [, n, r, p, salt, key] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (cost.N > 1_048_576 || cost.r < 1 || cost.p < 1) return false;
  const expected = Buffer.from(key!, "base64url");
  let actual: Buffer;
  try {
    actual = await derive(password, Buffer.from(salt!, "base64url"), cost, expected.length);
  } catch {
    return false;
  }
  return timingSafeEqual(actual, expected) && hash !== undefined;
}
