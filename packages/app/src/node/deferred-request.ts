import type { FastifyRequest } from "fastify";
import { deferTo } from "../core/deferred-web.js";
import { requestBody, requestUrl, webHeaders } from "./web-request.js";

/**
 * The web `Request` the plugin hands the app: what `toWebRequest` builds, but
 * method, URL, headers and signal answer without building a real Request
 * (its construction, with a followed abort signal, costs more than acknowledging
 * an event); anything else (`body`, `text()`, `clone()`, …) builds it once.
 * URL and body are checked at once, as `toWebRequest` does.
 */
class DeferredRequest {
  readonly #source: FastifyRequest;
  readonly #url: string;
  readonly #body: Buffer | null;
  readonly #signal: () => AbortSignal;
  #headers: Headers | undefined;
  #real: Request | undefined;

  constructor(source: FastifyRequest, withoutBody: boolean, signal: () => AbortSignal) {
    this.#source = source;
    this.#url = requestUrl(source).href;
    this.#body = requestBody(source, withoutBody);
    this.#signal = signal;
  }

  get method(): string {
    return this.#source.method;
  }

  get url(): string {
    return this.#url;
  }

  /** The same Headers before and after the real Request is built (it gets a copy). */
  get headers(): Headers {
    this.#headers ??= webHeaders(this.#source.raw.rawHeaders);
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#signal();
  }

  static real(self: DeferredRequest): Request {
    self.#real ??= new Request(self.#url, {
      method: self.method,
      headers: self.headers,
      body: self.#body,
      signal: self.signal,
    });
    return self.#real;
  }
}
deferTo(DeferredRequest.prototype, Request.prototype, DeferredRequest.real);

/** A Request for `source` (see DeferredRequest); `signal` is called only if the app reads the signal. */
export function deferredRequest(
  source: FastifyRequest,
  options: { withoutBody: boolean; signal: () => AbortSignal },
): Request {
  return new DeferredRequest(source, options.withoutBody, options.signal) as unknown as Request;
}
