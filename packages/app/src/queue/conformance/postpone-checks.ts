import type { TestApi } from "@b24kit/rest/testing";
import {
  check,
  type JobQueueFactory,
  memberId,
  newJob,
  recorder,
  sameJson,
  waitFor,
  withQueue,
} from "./queue-kit.js";

/** `{ postponeMs }`: the job runs again later, uses no attempt, and frees its worker meanwhile. */
export function postponeChecks(make: JobQueueFactory, t: TestApi): void {
  t.it(
    "postpone: the job runs again later without using an attempt, and the worker serves others",
    async () => {
      const postponeMs = 300;
      // maxAttempts 1: if a postpone used an attempt, the job would be dead after the first one.
      await withQueue(make, { maxAttempts: 1, backoffMs: 20 }, async (queue) => {
        const member = memberId();
        const { runs, run, of } = recorder(async (job) =>
          job.id === "throttled" && of("throttled").length <= 3 ? { postponeMs } : undefined,
        );
        await queue.enqueue(newJob(member, "throttled"));
        await queue.enqueue(newJob(member, "other"));
        const consumer = queue.consume(run, { concurrency: 1 });
        await waitFor(() => of("throttled").length === 4, "the postponed job's fourth run");
        await waitFor(async () => (await queue.stats()).running === 0, "the last run to finish");
        await consumer.stop();
        const throttled = of("throttled");
        sameJson(
          throttled.map((r) => r.attemptsMade),
          [0, 0, 0, 0],
          "postponing must not count as a failed attempt",
        );
        for (let n = 1; n < throttled.length; n++) {
          const gap = throttled[n]!.at - throttled[n - 1]!.at;
          check(gap >= postponeMs * 0.9, `run ${n + 1} came ${gap} ms after a ${postponeMs} ms postpone`);
        }
        check(
          runs.findIndex((r) => r.id === "other") < runs.indexOf(throttled[1]!),
          "with one worker, the other job must run while the postponed one waits",
        );
        const stats = await queue.stats();
        check(stats.dead === 0 && stats.waiting === 0, `nothing is left: ${JSON.stringify(stats)}`);
      });
    },
  );
}
