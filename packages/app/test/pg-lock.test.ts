import { randomBytes } from "node:crypto";
import { pgRefreshLock } from "@b24kit/app/postgres";
import { describeRefreshLock } from "@b24kit/rest/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pgUrl } from "./storage-helpers.js";

const pools: pg.Pool[] = [];
function newPool(options: pg.PoolConfig = {}) {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 5, ...options });
  pool.on("error", () => {});
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  for (const pool of pools) await pool.end();
});

const key = () => `b24kit:refresh:test:${randomBytes(6).toString("hex")}`;

/** A promise and its resolve, for holders that wait until told. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describeRefreshLock("PostgreSQL advisory lock", () => pgRefreshLock(newPool()), { describe, it });

describe("pgRefreshLock across processes (one pool each)", () => {
  it("a second pool waits for the holder, and times out with REFRESH_LOCK_TIMEOUT", async () => {
    const k = key();
    const holder = pgRefreshLock(newPool());
    const other = pgRefreshLock(newPool(), { waitMs: 300 });
    const entered = gate();
    const finish = gate();
    const held = holder.withLock(k, 30_000, async () => {
      entered.open();
      await finish.opened;
      return "holder";
    });
    await entered.opened;
    await expect(other.withLock(k, 30_000, async () => "other")).rejects.toMatchObject({
      code: "REFRESH_LOCK_TIMEOUT",
    });
    finish.open();
    expect(await held).toBe("holder");
    expect(await other.withLock(k, 30_000, async () => "other")).toBe("other");
  });

  it("the hold ends when the holder's connection dies", async () => {
    const k = key();
    const appName = `b24kit-lock-holder-${randomBytes(4).toString("hex")}`;
    const holder = pgRefreshLock(newPool({ application_name: appName }));
    const entered = gate();
    const finish = gate();
    const held = holder.withLock(k, 60_000, async () => {
      entered.open();
      await finish.opened;
    });
    await entered.opened;
    const admin = newPool();
    const killed = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
      [appName],
    );
    expect(killed.rowCount).toBe(1);
    // Long before the 60 s ttl: the lock went with the session.
    const started = Date.now();
    expect(await pgRefreshLock(newPool()).withLock(k, 60_000, async () => "next")).toBe("next");
    expect(Date.now() - started).toBeLessThan(20_000);
    finish.open();
    await held;
  });

  it("a holder still busy after the ttl loses the lock to a waiter; its own result still comes back", async () => {
    const k = key();
    const holderPool = newPool();
    const holder = pgRefreshLock(holderPool);
    const entered = gate();
    const finish = gate();
    let holderDone = false;
    const held = holder.withLock(k, 400, async () => {
      entered.open();
      await finish.opened;
      holderDone = true;
      return "late";
    });
    await entered.opened;
    const waiter = pgRefreshLock(newPool(), { waitMs: 20_000 });
    expect(await waiter.withLock(k, 30_000, async () => holderDone)).toBe(false);
    finish.open();
    expect(await held).toBe("late");
    expect((await holderPool.query("select 1 as one")).rows[0].one).toBe(1);
  });

  it("waiters hold no connection, so the holder can still use the pool", async () => {
    const k = key();
    const pool = newPool({ max: 2 });
    const lock = pgRefreshLock(pool, { waitMs: 20_000 });
    const entered = gate();
    const finish = gate();
    const held = lock.withLock(k, 30_000, async () => {
      entered.open();
      await finish.opened;
      return (await pool.query("select 'saved' as v")).rows[0].v;
    });
    await entered.opened;
    // Checkouts after the holder's: waiters that kept a connection while waiting would stop at 2.
    const attempts = gate();
    let checkouts = 0;
    pool.on("acquire", () => {
      if (++checkouts === 12) attempts.open();
    });
    const waiters = Array.from({ length: 4 }, (_, i) => lock.withLock(k, 30_000, async () => i));
    await attempts.opened;
    finish.open();
    expect(await held).toBe("saved");
    expect((await Promise.all(waiters)).sort()).toEqual([0, 1, 2, 3]);
  });
});
