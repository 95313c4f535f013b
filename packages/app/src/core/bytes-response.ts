import { deferTo } from "./deferred-web.js";

/**
 * A `Response` with a body already in memory (the runtime's JSON answers).
 * Status and headers answer at once; the real Response, with its body stream,
 * is built only when something reads the body (tests, a wrapper) — a server
 * adapter takes the bytes themselves (`unreadBytes`). Once built, `headers` is
 * the real Response's (a copy of the one handed out before).
 */
class BytesResponse {
  readonly #bytes: Uint8Array;
  readonly #status: number;
  readonly #headers: Headers;
  #real: Response | undefined;

  constructor(bytes: Uint8Array, status: number, headers: Headers) {
    this.#bytes = bytes;
    this.#status = status;
    this.#headers = headers;
  }

  get status(): number {
    return this.#status;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  get statusText(): string {
    return this.#real?.statusText ?? "";
  }

  get headers(): Headers {
    return this.#real?.headers ?? this.#headers;
  }

  static real(self: BytesResponse): Response {
    // The bytes are the runtime's own encoded answer (an ArrayBuffer, never shared memory).
    self.#real ??= new Response(self.#bytes as Uint8Array<ArrayBuffer>, {
      status: self.#status,
      headers: self.#headers,
    });
    return self.#real;
  }

  static unread(response: Response): Uint8Array | undefined {
    return #bytes in response && !response.#real ? response.#bytes : undefined;
  }
}
deferTo(BytesResponse.prototype, Response.prototype, BytesResponse.real);

/** A Response of `bytes`; refuses what `new Response` would (a status outside 200–599, a body on 204/205/304). */
export function bytesResponse(bytes: Uint8Array, status: number, headers: Record<string, string>): Response {
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`Bad status ${status}`);
  if (status === 204 || status === 205 || status === 304)
    throw new TypeError(`A ${status} response cannot have a body`);
  return new BytesResponse(bytes, status, new Headers(headers)) as unknown as Response;
}

/** The body of a `bytesResponse` nothing has read yet: what an adapter can send as it is. */
export function unreadBytes(response: Response): Uint8Array | undefined {
  return BytesResponse.unread(response);
}
