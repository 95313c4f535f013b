import type { FastifyRequest } from "fastify";
import { HOP_BY_HOP } from "./hop-by-hop.js";

/** A Host the way HTTP allows it: name or IPv4, or a bracketed IPv6 literal; optional port. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The request names a host or path an absolute URL cannot be built from (answered 400). */
export class BadRequestUrlError extends Error {
  readonly statusCode = 400;
}

/**
 * The absolute URL of a request. Host and scheme come from the Host header and
 * the socket; X-Forwarded-Host/-Proto only when Fastify's `trustProxy` trusts
 * the peer (Fastify's `request.host` / `request.protocol` apply that rule).
 * The path is appended as text, never resolved: `//evil.example/` stays a path
 * on our host instead of becoming another origin.
 */
export function requestUrl(request: FastifyRequest): URL {
  const host = request.host;
  const path = request.raw.url ?? "/";
  if (!HOST.test(host)) throw new BadRequestUrlError("The Host header is not a valid host");
  if (!path.startsWith("/")) throw new BadRequestUrlError("The request target must be a path");
  const scheme = request.protocol === "https" ? "https" : "http";
  return new URL(`${scheme}://${host}${path}`);
}

/** The peer's address; an IPv4 client on a dual-stack socket is shown as IPv4. */
export function clientAddress(request: FastifyRequest): string | undefined {
  const ip = request.ip;
  return ip?.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

/**
 * A web `Request` for a Fastify request, for apps embedded in a Fastify server
 * of your own. The body must be the raw bytes: register `fetchAppPlugin` (it
 * installs the raw-body parser in its own scope), or your own catch-all
 * `parseAs: "buffer"` content-type parser in the scope of the route.
 */
export function toWebRequest(
  request: FastifyRequest,
  options: { signal?: AbortSignal; withoutBody?: boolean } = {},
): Request {
  const body = requestBody(request, options.withoutBody === true);
  return new Request(requestUrl(request), {
    method: request.method,
    headers: webHeaders(request.raw.rawHeaders),
    body,
    ...(options.signal && { signal: options.signal }),
  });
}

/** The request's headers without hop-by-hop ones (Node's raw list keeps repeats and their order). */
export function webHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.startsWith(":") || HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers.append(name, raw[i + 1]!);
  }
  return headers;
}

/** The raw body bytes for a web Request (null: none, or `withoutBody`); throws if a parser already parsed it. */
export function requestBody(request: FastifyRequest, withoutBody: boolean): Buffer | null {
  const body: unknown = request.body;
  if (body !== undefined && body !== null && !Buffer.isBuffer(body))
    throw new Error(
      "The request body was already parsed; register fetchAppPlugin, or a catch-all parseAs 'buffer' content-type parser, in this scope",
    );
  const hasBody =
    !withoutBody &&
    body !== undefined &&
    body !== null &&
    request.method !== "GET" &&
    request.method !== "HEAD";
  return hasBody ? body : null;
}
