import type { TestApi } from "@b24kit/rest/testing";
import { consumerChecks } from "./consumer-checks.js";
import { deliveryChecks } from "./delivery-checks.js";
import { fairnessChecks } from "./fairness-checks.js";
import { idempotencyChecks } from "./idempotency-checks.js";
import { postponeChecks } from "./postpone-checks.js";
import type { DescribeJobQueueOptions, JobQueueFactory } from "./queue-kit.js";
import { retryChecks } from "./retry-checks.js";
import { statsChecks } from "./stats-checks.js";

/**
 * What every JobQueue adapter must do (`queue/job-queue.ts`), as one suite:
 * delivery, idempotency keys, retries with backoff into dead letters and back,
 * postpone, fairness across tenants, stats, graceful stop and at-least-once
 * delivery after a dead worker. `make` returns a fresh queue (its own storage)
 * for each check, using the policy it is given; pass `{ describe, it }` of your
 * test framework. The suite expects `close()` to stop the queue's consumers
 * without waiting for runs in flight (their jobs run again: at-least-once) and
 * to be safe to call twice.
 */
export function describeJobQueue(
  name: string,
  make: JobQueueFactory,
  t: TestApi,
  options: DescribeJobQueueOptions = {},
): void {
  t.describe(`JobQueue conformance: ${name}`, () => {
    deliveryChecks(make, t);
    idempotencyChecks(make, t);
    retryChecks(make, t);
    postponeChecks(make, t);
    fairnessChecks(make, t);
    statsChecks(make, t);
    consumerChecks(make, t, options);
  });
}
