import type { TestApi } from "@b24kit/rest/testing";
import { check, type JobQueueFactory, memberId, newJob, waitFor, withQueue } from "./queue-kit.js";

/** One portal's backlog does not hold back another portal's new jobs. */
export function fairnessChecks(make: JobQueueFactory, t: TestApi): void {
  t.it("fairness: 3 jobs of tenant B, enqueued after 300 of tenant A, all run before A's 30th", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const [a, b] = [memberId(), memberId()];
      for (let n = 0; n < 300; n++) await queue.enqueue(newJob(a, `a-${n}`));
      for (let n = 0; n < 3; n++) await queue.enqueue(newJob(b, `b-${n}`));
      const order: string[] = [];
      const consumer = queue.consume(
        async (job) => {
          order.push(job.memberId === a ? "A" : "B");
          return undefined;
        },
        { concurrency: 1 },
      );
      await waitFor(() => order.filter((x) => x === "B").length === 3, "B's three jobs to run", 25_000);
      await consumer.stop();
      const aFirst = order.slice(0, order.lastIndexOf("B")).filter((x) => x === "A").length;
      check(
        aFirst < 30,
        `${aFirst} of A's jobs ran before B's last one (first runs: ${order.slice(0, 40).join("")})`,
      );
    });
  });
}
