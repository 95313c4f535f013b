import type { TestApi } from "@b24kit/rest/testing";
import {
  check,
  type JobQueueFactory,
  memberId,
  newJob,
  pause,
  recorder,
  sameJson,
  waitFor,
  withQueue,
} from "./queue-kit.js";

/** A job goes in, the runner gets it back whole: fields, payload, delay. */
export function deliveryChecks(make: JobQueueFactory, t: TestApi): void {
  t.it("delivery: the runner gets memberId, id, kind, payload and the attempt fields", async () => {
    await withQueue(make, { maxAttempts: 4, backoffMs: 20 }, async (queue) => {
      const { runs, run } = recorder();
      const consumer = queue.consume(run);
      const member = memberId();
      const payload = { text: "сделка 😀 \"'", n: -1.5, list: [1, "two", null, true, {}], nested: { a: [] } };
      const before = Date.now();
      check((await queue.enqueue(newJob(member, "job-1", { kind: "event", payload }))) === true, "a new job");
      check((await queue.enqueue(newJob(member, "job-2", { payload: null }))) === true, "a null payload");
      const after = Date.now();
      await waitFor(() => runs.length === 2, "both jobs to run");
      await consumer.stop();
      const first = runs.find((r) => r.id === "job-1");
      check(first, "job-1 must reach the runner");
      check(first.memberId === member, `memberId must come back, got ${first.memberId}`);
      check(first.kind === "event", `kind must come back, got ${first.kind}`);
      sameJson(first.payload, payload, "the payload must come back unchanged");
      check(first.attemptsMade === 0, `a first run has attemptsMade 0, got ${first.attemptsMade}`);
      check(first.maxAttempts === 4, `maxAttempts is the policy's, got ${first.maxAttempts}`);
      check(
        first.enqueuedAt >= before - 1000 && first.enqueuedAt <= after + 1000,
        `enqueuedAt must be when it was enqueued, got ${first.enqueuedAt} (enqueued between ${before} and ${after})`,
      );
      check(first.lastError === undefined, "a first run has no lastError");
      sameJson(runs.find((r) => r.id === "job-2")?.payload, null, "a null payload must come back as null");
    });
  });

  t.it("delivery: a job with delayMs runs no earlier than that; jobs without a delay go first", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const member = memberId();
      const enqueuedAt = Date.now();
      await queue.enqueue(newJob(member, "later", { delayMs: 400 }));
      await queue.enqueue(newJob(member, "now"));
      const { runs, run } = recorder();
      const consumer = queue.consume(run, { concurrency: 1 });
      await waitFor(() => runs.length === 2, "both jobs to run");
      await consumer.stop();
      sameJson(
        runs.map((r) => r.id),
        ["now", "later"],
        "the undelayed job must run first",
      );
      const waited = runs[1]!.at - enqueuedAt;
      check(waited >= 380, `a job with delayMs 400 ran after ${waited} ms`);
    });
  });

  t.it("delivery: a consumer started before the enqueue picks the job up", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const { runs, run } = recorder();
      const consumer = queue.consume(run, { concurrency: 2 });
      await pause(200);
      await queue.enqueue(newJob(memberId(), "late"));
      await waitFor(() => runs.length === 1, "the job enqueued after consume() to run");
      await consumer.stop();
    });
  });
}
