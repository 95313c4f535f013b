import type { FormObject } from "../inbound/read-body.js";
import type { JobRunner } from "../queue/job-queue.js";
import { type EventJobPayload, eventJob } from "./event-job.js";

export interface ReceiveInput {
  memberId: string;
  event: string;
  data?: FormObject;
  /** Unix seconds (default now). */
  ts?: number;
  userId?: number;
  source?: "online" | "offline";
}

/**
 * One event through the worker's runner, without the queue: the handler runs
 * with the same context a worker gives it. A failure is thrown at once (no
 * retries); a postponement (the portal's limits) is an error too, so a test
 * sees it.
 */
export async function receiveDirectly(run: JobRunner, input: ReceiveInput, now: () => number): Promise<void> {
  const event = input.event.toUpperCase();
  const data = input.data ?? {};
  const ts = input.ts ?? Math.floor(now() / 1000);
  const payload: EventJobPayload = {
    event,
    data,
    ts,
    source: input.source ?? "online",
    receivedAt: now(),
    ...(input.userId ? { userId: input.userId } : {}),
  };
  const outcome = await run({
    ...eventJob(input.memberId, payload),
    attemptsMade: 0,
    // One attempt: a failure is the caller's to see, not a retry's.
    maxAttempts: 1,
    enqueuedAt: now(),
  });
  if (outcome?.postponeMs)
    throw new Error(`The portal's limits postponed ${event} by ${outcome.postponeMs} ms; try again later`);
}
