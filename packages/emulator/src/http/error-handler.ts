import type { FastifyError, FastifyInstance } from "fastify";
import { Errors, RestError } from "../calls/rest-error.js";
import { phpJson } from "../rest-endpoint/envelope.js";

/**
 * Errors that escape a route (an unparsable body, a bug) still answer in the
 * portal's envelope on the REST endpoint — `{"error","error_description"}`
 * (docs/protocol.md §3.4) — and as `{error}` on the control API.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | RestError, request, reply) => {
    const rest = request.url.startsWith("/rest/");
    let restError: RestError;
    if (error instanceof RestError) restError = error;
    else if (typeof error.statusCode === "number" && error.statusCode < 500) {
      restError = new RestError(400, "INVALID_REQUEST", error.message);
    } else {
      console.error("emulator: unexpected error", error);
      restError = Errors.internal();
    }
    if (!rest) return reply.code(restError.status).send({ error: restError.description });
    return reply
      .code(restError.status)
      .type("application/json; charset=utf-8")
      .send(phpJson(restError.body()));
  });
  // Fastify's own 404 echoes the request line, query string (secrets) included: say less.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (request.url.startsWith("/oauth/")) {
      return reply.code(404).send({ error: "not_found", error_description: `No such endpoint: ${path}` });
    }
    return reply.code(404).send({ error: `Not found: ${request.method} ${path}` });
  });
}
