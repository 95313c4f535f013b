import type { FastifyReply } from "fastify";
import { HOP_BY_HOP } from "./hop-by-hop.js";

/**
 * Sends a web `Response` through a Fastify reply: status, headers (each
 * Set-Cookie kept as its own header line) and the body streamed with
 * backpressure, never buffered whole.
 */
export function sendWebResponse(reply: FastifyReply, response: Response): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || HOP_BY_HOP.has(name)) continue;
    reply.header(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);

  const bodiless = reply.request.method === "HEAD" || response.status === 204 || response.status === 304;
  if (!response.body || bodiless) {
    response.body?.cancel().catch(() => {});
    return reply.send();
  }
  // Fastify reads a web stream chunk by chunk, waiting for "drain", and cancels it when the client goes.
  return reply.send(response.body);
}
