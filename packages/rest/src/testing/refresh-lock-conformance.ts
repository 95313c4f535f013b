import type { RefreshLock } from "../auth/refresh-lock.js";
import { check, type TestApi, uniqueKey } from "./test-api.js";

export type RefreshLockFactory = () => RefreshLock | Promise<RefreshLock>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every RefreshLock must do (`auth/refresh-lock.ts`): one holder of a
 * key at a time, other keys free, the value or error of `fn` passed through,
 * the lock released whatever `fn` did.
 */
export function describeRefreshLock(name: string, create: RefreshLockFactory, t: TestApi): void {
  t.describe(`RefreshLock conformance: ${name}`, () => {
    t.it("passes fn's value and error through, and is free again afterwards", async () => {
      const lock = await create();
      const key = uniqueKey("value");
      check((await lock.withLock(key, 5000, async () => 42)) === 42, "withLock must resolve fn's value");
      const failure = await lock
        .withLock(key, 5000, async () => {
          throw new Error("boom");
        })
        .catch((e: unknown) => e);
      check((failure as Error)?.message === "boom", "withLock must reject with fn's own error");
      check(
        (await lock.withLock(key, 5000, async () => "again")) === "again",
        "the lock must be free after an error",
      );
    });

    t.it("holders of one key never overlap", async () => {
      const lock = await create();
      const key = uniqueKey("exclusive");
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 5 }, () =>
          lock.withLock(key, 5000, async () => {
            inside += 1;
            most = Math.max(most, inside);
            await pause(30);
            inside -= 1;
          }),
        ),
      );
      check(most === 1, `at most one holder at a time, saw ${most}`);
    });

    t.it("different keys do not wait for each other", async () => {
      const lock = await create();
      let release!: () => void;
      const bothInside = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered = 0;
      const enter = async () => {
        entered += 1;
        if (entered === 2) release();
        await Promise.race([bothInside, pause(3000)]);
      };
      await Promise.all([
        lock.withLock(uniqueKey("one"), 10_000, enter),
        lock.withLock(uniqueKey("two"), 10_000, enter),
      ]);
      check(entered === 2, "holders of two different keys must be inside at the same time");
    });
  });
}
