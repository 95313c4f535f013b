import type { AddressInfo, Socket } from "node:net";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { FetchApp } from "./fetch-app.js";
import { fetchAppPlugin, ONE_MIB } from "./fetch-app-plugin.js";
import { redactedLogSerializers } from "./log-serializers.js";

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1 (only this machine); "0.0.0.0" or "::" to listen on every interface. */
  host?: string;
  /** Terminate TLS here (PEM certificate chain and key); without it the server speaks plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Read the scheme, host and client address from X-Forwarded-Proto/-Host/-For.
   * Only behind a reverse proxy that sets them: otherwise any client could
   * claim any address. `true` trusts every peer; addresses or CIDR ranges
   * (Fastify's `trustProxy`: "10.0.0.0/8", ["127.0.0.1", "10.1.2.3"]) trust only those. Default false.
   */
  trustProxy?: boolean | string | string[];
  /** Larger request bodies are answered 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** A pino logger: Fastify's request lines, with secrets in URLs and errors redacted. Default: silent. */
  logger?: FastifyBaseLogger;
  /**
   * `close()` waits this long for requests in flight, then cuts the connections
   * still open (a client that never finishes its request must not hold up a
   * deploy). Default 10 000 ms.
   */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  /** The base URL, e.g. http://127.0.0.1:8080 (a wildcard host is shown as loopback). */
  url: string;
  port: number;
  /**
   * Stops accepting connections, closes idle keep-alive ones, lets requests in
   * flight finish (new requests on open connections get 503), and after
   * `shutdownTimeoutMs` closes whatever is left.
   */
  close(): Promise<void>;
}

/** Serves a `FetchApp` on Node with Fastify: the production adapter of the web-standard core. */
export async function serve(app: FetchApp, options: ServeOptions): Promise<RunningServer> {
  const { port, host = "127.0.0.1", tls, trustProxy = false, bodyLimitBytes = ONE_MIB, logger } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const common = {
    trustProxy,
    bodyLimit: bodyLimitBytes,
    // Fastify logs the request URL; an OAuth `code` or `auth=` in it must not reach the log.
    ...(logger && { loggerInstance: logger.child({}, { serializers: redactedLogSerializers }) }),
  };
  // An https.Server hands out the same IncomingMessage/ServerResponse as http.Server;
  // Fastify's typings only keep the two instance types apart.
  const fastify = tls
    ? (Fastify({ ...common, https: { cert: tls.cert, key: tls.key } }) as unknown as FastifyInstance)
    : Fastify(common);

  await fastify.register(fetchAppPlugin, { app, bodyLimitBytes });
  // Node forgets a connection once its last response is sent, but a client that never reads
  // keeps the socket open after that; only our own list can still reach it at shutdown.
  const sockets = new Set<Socket>();
  fastify.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await fastify.listen({ port, host });

  const bound = (fastify.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? "https" : "http"}://${urlHost(host)}:${bound}`,
    port: bound,
    close() {
      closing ??= closeWithin(fastify, sockets, shutdownTimeoutMs);
      return closing;
    },
  };
}

async function closeWithin(fastify: FastifyInstance, sockets: Set<Socket>, timeoutMs: number): Promise<void> {
  const closed = fastify.close();
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
