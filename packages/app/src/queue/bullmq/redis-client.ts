import { Redis, type RedisOptions } from "ioredis";

/** A Redis URL (`redis://user:pass@host:6379/0`, `rediss://…`) or ioredis options. */
export type RedisConnection = string | RedisOptions;

/**
 * An ioredis client with an "error" listener attached: without one, a client
 * that cannot reach the server emits unhandled errors and ends the process.
 * It keeps reconnecting; the calls that need Redis report the failure.
 */
export function openRedis(
  connection: RedisConnection,
  overrides: RedisOptions,
  onError: (error: Error) => void,
): Redis {
  const client =
    typeof connection === "string"
      ? new Redis(connection, overrides)
      : new Redis({ ...connection, ...overrides });
  client.on("error", onError);
  return client;
}
