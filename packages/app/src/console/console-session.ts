import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { nonce, openSigned, secretBytes, sign } from "../session/signed-token.js";

/** The MAC's purpose: a console cookie never verifies as a frame session or an OAuth state, nor back. */
const PURPOSE = "b24kit console session";
export const CONSOLE_COOKIE = "b24kit_console";

export interface ConsoleOperator {
  name: string;
  passwordHash: string;
}

export interface OperatorSession {
  operator: string;
  /** Sent back in every form of the session: a POST without it is refused. */
  csrf: string;
  /** Unix seconds. */
  expiresAt: number;
}

interface Payload {
  op: string;
  csrf: string;
  exp: number;
  /** A fingerprint of the operator's password hash: a new password (or a removed operator) ends sessions. */
  fp: string;
  n: string;
}

function fingerprint(passwordHash: string): string {
  return createHash("sha256").update(passwordHash).digest("base64url").slice(0, 16);
}

/**
 * Signed console sessions in a cookie (HMAC-SHA256 with the app's session secret): HttpOnly,
 * SameSite=Strict, Secure when the app is served over https, scoped to the console's path, expiring.
 */
export class ConsoleSessions {
  readonly #secret: Buffer;

  constructor(
    secret: string,
    private readonly options: {
      operators: ReadonlyArray<ConsoleOperator>;
      ttlSeconds: number;
      now: () => number;
      /** The console's path, `/console`. */
      path: string;
      secure: boolean;
    },
  ) {
    this.#secret = secretBytes(secret);
  }

  operator(name: string): ConsoleOperator | undefined {
    return this.options.operators.find((o) => o.name === name);
  }

  /** A new session for a signed-in operator, and the Set-Cookie header that carries it. */
  issue(operator: ConsoleOperator): { session: OperatorSession; cookie: string } {
    const exp = Math.floor(this.options.now() / 1000) + this.options.ttlSeconds;
    const csrf = randomBytes(24).toString("base64url");
    const token = sign(this.#secret, PURPOSE, {
      op: operator.name,
      csrf,
      exp,
      fp: fingerprint(operator.passwordHash),
      n: nonce(),
    } satisfies Payload);
    return {
      session: { operator: operator.name, csrf, expiresAt: exp },
      cookie: this.#cookie(token, this.options.ttlSeconds),
    };
  }

  /** The Set-Cookie header that ends the session in the browser. */
  clear(): string {
    return this.#cookie("", 0);
  }

  /** The request's session, if its cookie is ours, unexpired and its operator still configured with that password. */
  read(request: Request): OperatorSession | undefined {
    const token = cookieValue(request.headers.get("cookie") ?? "", CONSOLE_COOKIE);
    if (!token) return undefined;
    const payload = openSigned(this.#secret, PURPOSE, token) as Partial<Payload> | undefined;
    if (
      !payload ||
      typeof payload.op !== "string" ||
      typeof payload.csrf !== "string" ||
      typeof payload.exp !== "number" ||
      typeof payload.fp !== "string"
    )
      return undefined;
    if (payload.exp <= Math.floor(this.options.now() / 1000)) return undefined;
    const operator = this.operator(payload.op);
    if (!operator || !sameText(fingerprint(operator.passwordHash), payload.fp)) return undefined;
    return { operator: payload.op, csrf: payload.csrf, expiresAt: payload.exp };
  }

  #cookie(value: string, maxAge: number): string {
    return [
      `${CONSOLE_COOKIE}=${value}`,
      `Path=${this.options.path}`,
      `Max-Age=${maxAge}`,
      "HttpOnly",
      "SameSite=Strict",
      ...(this.options.secure ? ["Secure"] : []),
    ].join("; ");
  }
}

/** Constant-time comparison of two strings (false when their lengths differ). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
