import type { TestApi } from "@b24kit/rest/testing";
import type { JobQueue } from "../job-queue.js";
import {
  check,
  type DescribeJobQueueOptions,
  type JobQueueFactory,
  memberId,
  newJob,
  pause,
  recorder,
  waitFor,
  within,
  withQueue,
} from "./queue-kit.js";

/** Consumers: a graceful stop, and at-least-once delivery when one dies mid-run. */
export function consumerChecks(make: JobQueueFactory, t: TestApi, options: DescribeJobQueueOptions): void {
  t.it(
    "consumer: stop() waits for the run in flight, which counts as done; then takes no more jobs",
    async () => {
      await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
        const member = memberId();
        let finished = false;
        const { runs, run } = recorder(async () => {
          await pause(300);
          finished = true;
          return undefined;
        });
        const consumer = queue.consume(run);
        await queue.enqueue(newJob(member, "slow"));
        await waitFor(() => runs.length === 1, "the run to start");
        await consumer.stop();
        check(finished, "stop() must resolve only after the run in flight has finished");
        await queue.enqueue(newJob(member, "after-stop"));
        await pause(500);
        check(runs.length === 1, `a stopped consumer must take no jobs, ran ${runs.length}`);
        const stats = await queue.stats();
        check(
          stats.waiting === 1 && stats.running === 0,
          `the finished run is done: ${JSON.stringify(stats)}`,
        );
      });
    },
  );

  if (options.atLeastOnce === false) return;
  t.it("at-least-once: a job whose queue was closed mid-run runs again on a reopened queue", async () => {
    const fixture = await make({ maxAttempts: 3, backoffMs: 20 });
    let reopened: JobQueue | undefined;
    try {
      check(fixture.reopen, "the fixture needs reopen() for this check (or pass { atLeastOnce: false })");
      const member = memberId();
      let started = false;
      // A run that never ends: the worker "dies" with it when its queue is closed.
      fixture.queue.consume(() => {
        started = true;
        return new Promise(() => {});
      });
      await fixture.queue.enqueue(newJob(member, "orphan", { payload: "kept" }));
      await waitFor(() => started, "the run to start");
      await within(fixture.queue.close(), 10_000, "close() with a run that never ends");

      reopened = await fixture.reopen();
      const { runs, run } = recorder();
      const consumer = reopened.consume(run);
      await waitFor(() => runs.length >= 1, "the abandoned job to run again", options.redeliveryMs ?? 20_000);
      await consumer.stop();
      check(runs[0]!.memberId === member && runs[0]!.id === "orphan", "the abandoned job is the one run");
      check(runs[0]!.payload === "kept", "the abandoned job keeps its payload");
    } finally {
      await reopened?.close();
      await fixture.queue.close();
      await fixture.close?.();
    }
  });
}
