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

/** The job id is an idempotency key per tenant, and only per tenant. */
export function idempotencyChecks(make: JobQueueFactory, t: TestApi): void {
  t.it("idempotency: a second enqueue of (memberId, id) resolves false and the job runs once", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const member = memberId();
      check((await queue.enqueue(newJob(member, "once", { payload: 1 }))) === true, "the first enqueue");
      check(
        (await queue.enqueue(newJob(member, "once", { payload: 2 }))) === false,
        "a duplicate while pending must resolve false",
      );
      const { runs, run } = recorder();
      const consumer = queue.consume(run);
      await waitFor(() => runs.length === 1, "the job to run");
      await pause(300);
      check(
        (await queue.enqueue(newJob(member, "once", { payload: 3 }))) === false,
        "a duplicate of a done job must resolve false",
      );
      await pause(500);
      await consumer.stop();
      check(runs.length === 1, `the job must run once, ran ${runs.length} times`);
      sameJson(runs[0]!.payload, 1, "the first enqueue's payload is the one kept");
    });
  });

  t.it("idempotency: of concurrent enqueues of one (memberId, id), exactly one resolves true", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const member = memberId();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, n) => queue.enqueue(newJob(member, "race", { payload: n }))),
      );
      check(results.filter(Boolean).length === 1, `one enqueue must win, got ${JSON.stringify(results)}`);
      check((await queue.stats()).waiting === 1, "one job must be waiting");
    });
  });

  t.it("idempotency: the same id on two tenants is two jobs", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const [one, two] = [memberId(), memberId()];
      check((await queue.enqueue(newJob(one, "shared"))) === true, "tenant one's job");
      check((await queue.enqueue(newJob(two, "shared"))) === true, "tenant two's job with the same id");
      const { runs, run } = recorder();
      const consumer = queue.consume(run);
      await waitFor(() => runs.length === 2, "both jobs to run");
      await consumer.stop();
      sameJson(runs.map((r) => r.memberId).sort(), [one, two].sort(), "each tenant's job must run");
    });
  });

  t.it("idempotency: separators and escapes in ids never make two keys collide", async () => {
    await withQueue(make, { maxAttempts: 3, backoffMs: 20 }, async (queue) => {
      const keys: Array<[string, string]> = [
        ["a:b", "c"],
        ["a", "b:c"],
        ["a", "b/c"],
        ["a/b", "c"],
        ["a", "b%3Ac"],
        ["a", "b|c"],
        ["a", "сделка 😀"],
      ];
      for (const [member, id] of keys) {
        check((await queue.enqueue(newJob(member, id))) === true, `(${member}, ${id}) is a key of its own`);
      }
      for (const [member, id] of keys) {
        check((await queue.enqueue(newJob(member, id))) === false, `(${member}, ${id}) again is a duplicate`);
      }
      const { runs, run } = recorder();
      const consumer = queue.consume(run);
      await waitFor(() => runs.length === keys.length, "every job to run");
      await consumer.stop();
      sameJson(
        runs.map((r) => JSON.stringify([r.memberId, r.id])).sort(),
        keys.map((k) => JSON.stringify(k)).sort(),
        "each job must come back with its own memberId and id",
      );
    });
  });
}
