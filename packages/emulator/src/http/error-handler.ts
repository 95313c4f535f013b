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
    if (request.method === "GET" && wantsPage(request.url, request.headers.accept)) {
      return reply.code(404).type("text/html; charset=utf-8").send(NOT_FOUND_PAGE);
    }
    return reply.code(404).send({ error: `Not found: ${request.method} ${path}` });
  });
  // Browsers ask every page for one; an empty answer instead of a 404 in every console.
  app.get("/favicon.ico", (_request, reply) =>
    reply.code(204).header("cache-control", "max-age=86400").send(),
  );
}

/** A person in a browser on a portal path (not the REST endpoint, the control API or the OAuth server). */
function wantsPage(url: string, accept: string | undefined): boolean {
  if (/^\/(rest|_emulator|oauth|_portal)\//.test(url)) return false;
  return (accept ?? "").includes("text/html");
}

const NOT_FOUND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page not found</title>
<style>body{font:15px/1.5 "Helvetica Neue",Arial,sans-serif;color:#333;background:#eef2f4;margin:0;padding:48px}
main{max-width:560px;margin:auto;background:#fff;border-radius:12px;padding:24px 28px}a{color:#2067b0}</style></head>
<body><main><h1>Page not found</h1><p>This emulated Bitrix24 portal has no page here.</p>
<p><a href="/">Go to the portal's start page</a> · <a href="/crm/deal/list/">Deals</a> · <a href="/marketplace/">Marketplace</a></p></main></body></html>`;
