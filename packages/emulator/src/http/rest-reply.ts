import type { FastifyReply, FastifyRequest } from "fastify";
import { phpJson } from "../rest-endpoint/envelope.js";

/** CORS for the REST endpoint: frames call it straight from the app's origin. */
export function cors(request: FastifyRequest, reply: FastifyReply): void {
  reply.header("access-control-allow-origin", request.headers.origin ?? "*");
  reply.header("vary", "origin");
  reply.header("access-control-allow-methods", "GET, POST, OPTIONS");
  reply.header(
    "access-control-allow-headers",
    request.headers["access-control-request-headers"] ?? "content-type, accept, x-request-id",
  );
  reply.header("access-control-max-age", "600");
}

export function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send(phpJson(body));
}
