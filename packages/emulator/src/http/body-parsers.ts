import busboy from "busboy";
import type { FastifyInstance } from "fastify";
import qs from "qs";
import { QS_OPTIONS } from "../calls/qs-options.js";
import { RestError } from "../calls/rest-error.js";

/**
 * The portal accepts every encoding a client may use (docs/protocol.md §3.2):
 * query string, form-urlencoded and multipart with PHP bracket keys, and JSON.
 * Bodies become the same nested shape whichever encoding carried them.
 */
export function registerBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new RestError(400, "INVALID_REQUEST", "Request body is not valid JSON"), undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, qs.parse(String(body), QS_OPTIONS));
  });
  // Multipart is a CORS "simple" request any web page can send: it gets the same size limit as every
  // other body, counted as it streams in, and never more than that in memory.
  app.addContentTypeParser("multipart/form-data", (req, payload, done) => {
    const pairs: string[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fieldSize: bodyLimit, fileSize: bodyLimit } });
    } catch {
      return done(new RestError(400, "INVALID_REQUEST", "Malformed multipart body (no boundary)"), undefined);
    }
    let received = 0;
    let finished = false;
    const finish = (error: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      done(error, body);
    };
    const tooLarge = () => {
      payload.unpipe(parser);
      payload.resume();
      finish(new RestError(413, "INVALID_REQUEST", `Request body is larger than ${bodyLimit} bytes`));
    };
    payload.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > bodyLimit) tooLarge();
    });
    parser.on("field", (name, value) =>
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`),
    );
    parser.on("file", (name, stream) => {
      // Files arrive as [name, base64] pairs, the portal's own file format for REST.
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", tooLarge);
      stream.on("end", () =>
        pairs.push(
          `${encodeURIComponent(name)}=${encodeURIComponent(Buffer.concat(chunks).toString("base64"))}`,
        ),
      );
    });
    parser.on("close", () => finish(null, qs.parse(pairs.join("&"), QS_OPTIONS)));
    parser.on("error", () => finish(new RestError(400, "INVALID_REQUEST", "Malformed multipart body")));
    payload.pipe(parser);
  });
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, String(body)));
}
