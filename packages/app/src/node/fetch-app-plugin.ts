import { STATUS_CODES } from "node:http";
import { redactUrl } from "@b24kit/rest";
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { deferredRequest } from "./deferred-request.js";
import { disconnectSignal } from "./disconnect-signal.js";
import type { FetchApp } from "./fetch-app.js";
import { clientAddress, toWebRequest } from "./web-request.js";
import { sendWebResponse } from "./web-response.js";

export const ONE_MIB = 1024 * 1024;

export interface FetchAppPluginOptions {
  app: FetchApp;
  /** Larger request bodies are answered 413 without being read to the end. Default 1 MiB. */
  bodyLimitBytes?: number;
}

/** Every method a web `Request` can carry (TRACE and CONNECT cannot). */
const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY"];

/**
 * Mounts a `FetchApp` in a Fastify server: every method and path of the
 * plugin's scope goes to `app.fetch`. Use it to embed the app in a Fastify
 * server of your own:
 *
 *     fastify.register(fetchAppPlugin, { app, prefix: "/b24" });
 *
 * The app sees the full URL (prefix included). Inside its scope the plugin
 * replaces every content-type parser with one that hands over the raw bytes,
 * because the app parses bodies itself (Bitrix24's PHP-style nested forms need
 * qs with explicit limits); your routes outside the scope keep their parsers.
 */
export const fetchAppPlugin: FastifyPluginAsync<FetchAppPluginOptions> = async (fastify, options) => {
  const { app, bodyLimitBytes = ONE_MIB } = options;
  fastify.removeAllContentTypeParsers();
  // Fastify stops reading once the limit is passed (or at once when Content-Length says so) and answers 413.
  fastify.addContentTypeParser(
    "*",
    { parseAs: "buffer", bodyLimit: bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );
  fastify.setErrorHandler(answerError);

  async function forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const raw = app.readsRawBody && Buffer.isBuffer(request.body) ? request.body : undefined;
    const signal = disconnectSignal(reply.raw);
    // The runtime (readsRawBody) only reads the request, so it gets one built on demand. Any other
    // app gets a real Request: a deferred one cannot be re-wrapped (`new Request(req, init)`) or
    // forwarded (`fetch(req)`), since Node reads a Request's internal state directly there.
    const webRequest = app.readsRawBody
      ? deferredRequest(request, { withoutBody: raw !== undefined, signal })
      : toWebRequest(request, { signal: signal() });
    const address = clientAddress(request);
    const response = await app.fetch(webRequest, {
      ...(address === undefined ? {} : { clientAddress: address }),
      ...(raw ? { rawBody: raw } : {}),
    });
    return sendWebResponse(reply, response);
  }

  fastify.route({ method: METHODS, url: "/", handler: forward });
  fastify.route({ method: METHODS, url: "/*", handler: forward });
};

/**
 * Client errors (bad Host, body too large, malformed Content-Type) keep their
 * 4xx status; anything else is a 500 whose details go to the log only — an
 * error message may carry what the client must not see. Logged redacted.
 */
function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500
      ? error.statusCode
      : 500;
  if (status === 500) {
    // Redacted here too: embedded in your own server, your logger's serializers apply, not ours.
    const { name, code, message, stack } = error;
    request.log.error(
      { error: { name, errorCode: code, message: redactUrl(message), stack: redactUrl(String(stack)) } },
      "The app failed to answer a request",
    );
  }
  return reply
    .code(status)
    .type("text/plain; charset=utf-8")
    .send(STATUS_CODES[status] ?? "Error");
}
