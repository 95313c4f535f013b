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

/** Failed runs: retries with exponential backoff, then dead; dead letters and their revival. */
export function retryChecks(make: JobQueueFactory, t: TestApi): void {
  t.it(
    "retries: a failing job is retried with growing delays, then dead; retryDead runs it afresh",
    async () => {
      const backoffMs = 50;
      await withQueue(make, { maxAttempts: 3, backoffMs }, async (queue) => {
        const member = memberId();
        let healthy = false;
        const { runs, run } = recorder(async (_job, runs) => {
          if (healthy) return undefined;
          throw new Error(`boom ${runs.length}`);
        });
        const consumer = queue.consume(run);
        await queue.enqueue(newJob(member, "flaky"));
        await waitFor(async () => (await queue.deadLetters()).length === 1, "the job to be dead");
        await pause(200);
        check(runs.length === 3, `maxAttempts 3 means 3 runs, saw ${runs.length}`);
        sameJson(
          runs.map((r) => r.attemptsMade),
          [0, 1, 2],
          "attemptsMade counts the failed runs before each run",
        );
        sameJson(
          runs.map((r) => r.lastError),
          [undefined, "boom 1", "boom 2"],
          "a retry carries the previous failure's message",
        );
        for (const n of [1, 2]) {
          const gap = runs[n]!.at - runs[n - 1]!.at;
          const least = backoffMs * 2 ** (n - 1);
          check(
            gap >= least * 0.9,
            `retry ${n} came ${gap} ms after the failure; the backoff is ${least} ms`,
          );
        }

        const [dead] = await queue.deadLetters();
        check(dead?.memberId === member && dead.id === "flaky", "the dead job is listed");
        check(dead.lastError === "boom 3", `a dead job keeps the last error, got ${dead.lastError}`);
        check(
          dead.attemptsMade === 3 && dead.maxAttempts === 3,
          `attempts on a dead job: ${dead.attemptsMade}`,
        );
        sameJson(dead.payload, { id: "flaky" }, "a dead job keeps its payload");
        check((await queue.stats()).dead === 1, "stats must count the dead job");
        check((await queue.enqueue(newJob(member, "flaky"))) === false, "a dead job's id is still taken");

        healthy = true;
        check((await queue.retryDead(member, "flaky")) === true, "retryDead of a dead job");
        await waitFor(() => runs.length === 4, "the revived job to run");
        check(
          runs[3]!.attemptsMade === 0,
          `a revived job starts from 0 attempts, got ${runs[3]!.attemptsMade}`,
        );
        await waitFor(async () => (await queue.stats()).dead === 0, "stats to stop counting it as dead");
        sameJson(await queue.deadLetters(), [], "the revived job is no longer a dead letter");
        check((await queue.retryDead(member, "flaky")) === false, "retryDead of a job that is not dead");
        check((await queue.retryDead(member, "never-enqueued")) === false, "retryDead of an unknown job");
        await consumer.stop();
      });
    },
  );

  t.it("dead letters: newest first, filtered by tenant, limited", async () => {
    await withQueue(make, { maxAttempts: 1, backoffMs: 20 }, async (queue) => {
      const [one, two] = [memberId(), memberId()];
      const consumer = queue.consume(async (job) => {
        throw new Error(`failed ${job.id}`);
      });
      const dies = async (member: string, id: string, deadCount: number) => {
        await queue.enqueue(newJob(member, id));
        await waitFor(async () => (await queue.deadLetters()).length === deadCount, `${id} to be dead`);
        await pause(20);
      };
      await dies(one, "x", 1);
      await dies(two, "y", 2);
      await dies(one, "z", 3);
      await consumer.stop();
      const ids = (letters: Array<{ id: string }>) => letters.map((l) => l.id);
      sameJson(ids(await queue.deadLetters()), ["z", "y", "x"], "every tenant's dead jobs, newest first");
      sameJson(ids(await queue.deadLetters({ memberId: one })), ["z", "x"], "one tenant's dead jobs");
      sameJson(ids(await queue.deadLetters({ memberId: two, limit: 5 })), ["y"], "the other tenant's");
      sameJson(ids(await queue.deadLetters({ limit: 1 })), ["z"], "limit keeps the newest");
      sameJson(await queue.deadLetters({ memberId: memberId() }), [], "a tenant without dead jobs");
      check((await queue.retryDead(two, "x")) === false, "retryDead is per tenant: x is tenant one's");
      check((await queue.stats()).dead === 3, "stats must count 3 dead jobs");
    });
  });
}
