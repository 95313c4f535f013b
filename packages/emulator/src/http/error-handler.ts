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
}
