import type { BucketStore } from "../limits/bucket-store.js";
import { check, type TestApi, uniqueKey } from "./test-api.js";

export type BucketStoreFactory = () => BucketStore | Promise<BucketStore>;

/** Real time passes between a check's calls (a shared server has its own clock): this much slack. */
const SLACK_MS = 250;
/** One request per second: slots 1,000 ms apart, wide against the slack, and nobody waits for them. */
const RATE = 1;
const INTERVAL = 1000 / RATE;

function near(actual: number, expected: number, what: string): void {
  check(
    Math.abs(actual - expected) <= SLACK_MS,
    `${what}: expected a wait of about ${expected} ms, got ${actual} ms`,
  );
}

/**
 * What every BucketStore must do (`limits/bucket-store.ts`): GCRA slots in
 * order, `burst` at once then one per interval, slots given back, a full
 * bucket after `fill`, keys apart. The checks only read the waits that
 * `reserve` promises; they never sleep for them.
 */
export function describeBucketStore(name: string, create: BucketStoreFactory, t: TestApi): void {
  t.describe(`BucketStore conformance: ${name}`, () => {
    t.it("the first `burst` requests go at once, then one per interval", async () => {
      const store = await create();
      const key = uniqueKey("burst");
      const waits: number[] = [];
      for (let i = 0; i < 7; i++) waits.push(await store.reserve(key, 5, RATE));
      for (let i = 0; i < 5; i++) near(waits[i]!, 0, `request ${i + 1} of a burst of 5`);
      near(waits[5]!, INTERVAL, "request 6");
      near(waits[6]!, 2 * INTERVAL, "request 7");
    });

    t.it("concurrent reservations get distinct slots, in order", async () => {
      const store = await create();
      const key = uniqueKey("concurrent");
      const waits = await Promise.all(Array.from({ length: 12 }, () => store.reserve(key, 1, RATE)));
      const sorted = [...waits].sort((a, b) => a - b);
      for (const [i, w] of sorted.entries()) near(w, i * INTERVAL, `slot ${i + 1} of 12 concurrent`);
    });

    t.it("a released slot is given to the next request", async () => {
      const store = await create();
      const key = uniqueKey("release");
      for (let i = 0; i < 4; i++) await store.reserve(key, 2, RATE);
      await store.release(key, 2, RATE);
      near(await store.reserve(key, 2, RATE), 2 * INTERVAL, "the request after a release");
    });

    t.it("releasing on an idle key does not create credit", async () => {
      const store = await create();
      const key = uniqueKey("idle-release");
      await store.release(key, 2, RATE);
      await store.release(key, 2, RATE);
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) waits.push(await store.reserve(key, 2, RATE));
      near(waits[2]!, INTERVAL, "the third request on a burst of 2 after idle releases");
    });

    t.it("after fill the bucket is full: the next request waits one interval", async () => {
      const store = await create();
      const key = uniqueKey("fill");
      await store.fill(key, 5, RATE);
      near(await store.reserve(key, 5, RATE), INTERVAL, "the first request after fill");
      near(await store.reserve(key, 5, RATE), 2 * INTERVAL, "the second request after fill");
    });

    t.it("a fractional burst keeps part of a slot in hand", async () => {
      const store = await create();
      const key = uniqueKey("fraction");
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) waits.push(await store.reserve(key, 2.5, RATE));
      near(waits[1]!, 0, "the second request of a burst of 2.5");
      near(waits[2]!, INTERVAL / 2, "the third request of a burst of 2.5");
    });

    t.it("keys are independent", async () => {
      const store = await create();
      const a = uniqueKey("a");
      const b = uniqueKey("b");
      for (let i = 0; i < 3; i++) await store.reserve(a, 1, RATE);
      near(await store.reserve(b, 1, RATE), 0, "the first request on another key");
    });
  });
}
