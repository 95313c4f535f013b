import { randomBytes } from "node:crypto";
import { check } from "../../storage/conformance/conformance-kit.js";
import type { JobQueue, JobRunner, NewJob, QueuedJob, QueuePolicy } from "../job-queue.js";

export { check, sameJson } from "../../storage/conformance/conformance-kit.js";

/** A queue for one check: fresh, empty storage of its own (a temp file, a unique Redis prefix, …). */
export interface JobQueueFixture {
  queue: JobQueue;
  /** A second queue object on the same storage, as another process (or a restart) would open it. */
  reopen?: () => Promise<JobQueue>;
  /** Removes the storage; called after the suite has closed every queue of the fixture. */
  close?: () => Promise<void>;
}

/** Makes a fixture whose queues use `policy` (the suite sets small backoffs to keep checks fast). */
export type JobQueueFactory = (policy: QueuePolicy) => Promise<JobQueueFixture>;

export interface DescribeJobQueueOptions {
  /**
   * The at-least-once check: a queue closed while its runner hangs, then reopened
   * (`reopen` on the fixture), runs the job again. Default true; pass false only
   * when the adapter cannot simulate a dead worker in one process.
   */
  atLeastOnce?: boolean;
  /** How long the reopened queue may take to run the abandoned job again (default 20 s). */
  redeliveryMs?: number;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails the check after `timeoutMs` (wide: CI machines are slow). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    check(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for: ${what}`);
    await pause(20);
  }
}

/** Fails the check when `promise` does not settle within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`conformance: ${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` on a fresh queue, closing it (and removing its storage) whatever happens. */
export async function withQueue(
  make: JobQueueFactory,
  policy: QueuePolicy,
  fn: (queue: JobQueue) => Promise<void>,
): Promise<void> {
  const fixture = await make(policy);
  try {
    await fn(fixture.queue);
  } finally {
    await fixture.queue.close();
    await fixture.close?.();
  }
}

/** A member_id like the portals' own (32 lower-case hex digits). */
export function memberId(): string {
  return randomBytes(16).toString("hex");
}

export function newJob(member: string, id: string, overrides: Partial<NewJob> = {}): NewJob {
  return { memberId: member, id, kind: "test", payload: { id }, ...overrides };
}

export interface Run extends QueuedJob {
  /** Unix ms when the runner was called. */
  at: number;
}

/** A runner that records every call; `outcome` decides what each call does (default: done). */
export function recorder(
  outcome: (job: QueuedJob, runs: Run[]) => ReturnType<JobRunner> = async () => undefined,
) {
  const runs: Run[] = [];
  const run: JobRunner = async (job) => {
    runs.push({ ...job, at: Date.now() });
    return outcome(job, runs);
  };
  return { runs, run, of: (id: string) => runs.filter((r) => r.id === id) };
}
