import { redactUrl } from "@b24kit/rest";
import type { FastifyRequest } from "fastify";
import { stdSerializers } from "pino";

/**
 * Fastify's request and error serializers with secrets hidden: the URL of an
 * OAuth redirect carries `code`, a failed REST call's message may carry
 * `auth=` (redactUrl from @b24kit/rest knows the keys). Same fields as
 * Fastify's own, so log tooling keeps working.
 */
export const redactedLogSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
  err(error: Error) {
    const serialized = stdSerializers.err(error);
    return { ...serialized, message: redactUrl(serialized.message), stack: redactUrl(serialized.stack) };
  },
};
