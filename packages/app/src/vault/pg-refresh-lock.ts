import { createHash } from "node:crypto";
import { B24Error, type RefreshLock } from "@b24kit/rest";
import type pg from "pg";

export interface PgRefreshLockOptions {
  /** Pause between attempts while another process holds the key (default 25 ms). */
  pollMs?: number;
  /** Give up after this long with REFRESH_LOCK_TIMEOUT (default twice the ttl), as redisRefreshLock does. */
  waitMs?: number;
}

/** First half of every lock id: "b24k", so our locks never collide with the app's own advisory locks. */
const NAMESPACE = 0x6232346b;

/** Second half: 32 bits of the key's SHA-256 (a collision only makes two portals wait for each other). */
function keyId(key: string): number {
  return createHash("sha256").update(key, "utf8").digest().readInt32BE(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RefreshLock on PostgreSQL advisory locks, for the cluster profile without
 * Redis. Each hold is a transaction-level lock (`pg_try_advisory_xact_lock`)
 * on a connection of its own, so:
 * - a holder that dies loses the lock with its connection, at once;
 * - the ttl is `idle_in_transaction_session_timeout` on that connection: a
 *   holder still busy after `ttlMs` has its session ended by the server and
 *   the lock goes, like a Redis key expiring (oauth-auth.ts sizes the ttl
 *   to outlive a slow token endpoint);
 * - it works through PgBouncer in transaction mode (no session state);
 * - a waiter holds no connection between attempts, so waiters cannot starve
 *   the pool the holder needs to save the new tokens.
 * Not re-entrant, like redisRefreshLock: a nested withLock on the same key waits.
 */
export function pgRefreshLock(pool: pg.Pool, options: PgRefreshLockOptions = {}): RefreshLock {
  const pollMs = options.pollMs ?? 25;
  return {
    async withLock(key, ttlMs, fn) {
      const waitMs = options.waitMs ?? ttlMs * 2;
      const deadline = Date.now() + waitMs;
      let held = await tryLock(pool, keyId(key), ttlMs);
      while (!held) {
        if (Date.now() > deadline) {
          throw new B24Error({
            code: "REFRESH_LOCK_TIMEOUT",
            status: 0,
            description: `waited ${waitMs} ms for the refresh lock ${key}`,
          });
        }
        await sleep(pollMs);
        held = await tryLock(pool, keyId(key), ttlMs);
      }
      try {
        return await fn();
      } finally {
        await held.release();
      }
    },
  };
}

/** One attempt in one round trip; resolves a handle that ends the hold, or undefined if someone holds it. */
async function tryLock(
  pool: pg.Pool,
  id: number,
  ttlMs: number,
): Promise<{ release(): Promise<void> } | undefined> {
  const client = await pool.connect();
  // The server ends the session when the ttl runs out; without a listener that error would crash the process.
  const ignore = () => {};
  client.on("error", ignore);
  /** Back to the pool; a connection that failed is closed instead (release with an error). */
  const done = (failure?: unknown) => {
    client.off("error", ignore);
    client.release(failure === undefined ? undefined : failure instanceof Error ? failure : true);
  };
  const ttl = Math.max(1, Math.ceil(ttlMs));
  let results: pg.QueryResult[];
  try {
    // Integers only are inlined, so the three statements go as one simple query.
    const reply = await client.query(
      `begin; select set_config('idle_in_transaction_session_timeout', '${ttl}', true); ` +
        `select pg_try_advisory_xact_lock(${NAMESPACE}, ${id}) as locked`,
    );
    results = reply as unknown as pg.QueryResult[];
  } catch (error) {
    done(error);
    throw error;
  }
  if (results.at(-1)?.rows[0]?.locked === true) {
    return {
      async release() {
        try {
          await client.query("commit");
          done();
        } catch (error) {
          // The ttl ran out and the server ended the session: the lock is gone already.
          done(error);
        }
      },
    };
  }
  try {
    await client.query("rollback");
    done();
  } catch (error) {
    done(error);
  }
  return undefined;
}
