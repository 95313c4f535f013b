import type { TestApi } from "@b24kit/rest/testing";
import {
  check,
  type JobQueueFactory,
  memberId,
  newJob,
  pause,
  sameJson,
  waitFor,
  withQueue,
} from "./queue-kit.js";

/** What monitoring reads: stats and the readiness probe. */
export function statsChecks(make: JobQueueFactory, t: TestApi): void {
  t.it("stats: waiting (delayed included), running and the oldest waiting job's age", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      sameJson(
        await queue.stats(),
        { waiting: 0, running: 0, dead: 0, oldestWaitingAgeMs: 0 },
        "an empty queue's stats",
      );
      const member = memberId();
      await queue.enqueue(newJob(member, "one"));
      await queue.enqueue(newJob(member, "two"));
      await queue.enqueue(newJob(member, "delayed", { delayMs: 60_000 }));
      await pause(200);
      const idle = await queue.stats();
      check(idle.waiting === 3 && idle.running === 0, `3 waiting, 0 running: ${JSON.stringify(idle)}`);
      check(
        idle.oldestWaitingAgeMs >= 150 && idle.oldestWaitingAgeMs < 60_000,
        `the oldest job waited about 200 ms, stats say ${idle.oldestWaitingAgeMs}`,
      );

      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      const consumer = queue.consume(
        async (job) => {
          started.push(job.id);
          await gate;
          return undefined;
        },
        { concurrency: 1 },
      );
      await waitFor(() => started.length === 1, "the first run to start");
      const busy = await queue.stats();
      check(busy.running === 1 && busy.waiting === 2, `1 running, 2 waiting: ${JSON.stringify(busy)}`);
      release();
      await waitFor(async () => {
        const s = await queue.stats();
        return s.running === 0 && s.waiting === 1;
      }, "only the delayed job to be left waiting");
      await consumer.stop();
      check(!started.includes("delayed"), "the delayed job must not have run yet");
    });
  });

  t.it("ping: resolves while the storage is reachable", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      await queue.ping();
      await queue.enqueue(newJob(memberId(), "after-ping"));
      await queue.ping();
    });
  });
}
