import type { FastifyReply } from "fastify";
import { unreadBytes } from "../core/bytes-response.js";
import { HOP_BY_HOP } from "./hop-by-hop.js";

/** Bodies that say they are at most this long are sent in one write; longer or unknown ones are streamed. */
const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Sends a web `Response` through a Fastify reply: status, headers (each
 * Set-Cookie kept as its own header line) and the body — a small one with a
 * declared length in one write (most answers to a portal are a few bytes of
 * JSON), anything else streamed with backpressure, never buffered whole.
 */
export async function sendWebResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || HOP_BY_HOP.has(name)) continue;
    reply.header(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);

  const bodiless = reply.request.method === "HEAD" || response.status === 204 || response.status === 304;
  // The runtime's own answers hand over their bytes: no body stream to build and read back.
  const bytes = unreadBytes(response);
  if (bytes)
    return bodiless
      ? reply.send()
      : reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!response.body || bodiless) {
    response.body?.cancel().catch(() => {});
    return reply.send();
  }
  const length = response.headers.get("content-length");
  const declared = length === null ? Number.NaN : Number(length);
  if (Number.isInteger(declared) && declared >= 0 && declared <= SMALL_BODY_BYTES)
    return reply.send(Buffer.from(await response.arrayBuffer()));
  // Fastify reads a web stream chunk by chunk, waiting for "drain", and cancels it when the client goes.
  return reply.send(response.body);
}
