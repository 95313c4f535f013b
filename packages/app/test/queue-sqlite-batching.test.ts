import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobQueue, JobRunner, NewJob, QueuedJob } from "@b24kit/app";
import { sqliteJobQueue } from "@b24kit/app/sqlite";
import Database from "libsql";
import { afterAll, afterEach, describe, expect, it } from "vitest";

/**
 * The embedded queue's group commit (queue/sqlite/insert-batch.ts), its hand-off
 * of a due job to an idle worker, and its deferred done marks — on real SQLite
 * files, read back from connections of their own and from reopened queues.
 */

const dir = mkdtempSync(join(tmpdir(), "b24kit-queue-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `queue-${++files}.db`);

const opened: JobQueue[] = [];
afterEach(async () => {
  for (const queue of opened.splice(0)) await queue.close();
});

function open(file: string, options: Partial<Parameters<typeof sqliteJobQueue>[0]> = {}): JobQueue {
  const queue = sqliteJobQueue({ file, ...options });
  opened.push(queue);
  return queue;
}

async function closeQueue(queue: JobQueue): Promise<void> {
  await queue.close();
  opened.splice(opened.indexOf(queue), 1);
}

interface Row {
  member_id: string;
  id: string;
  state: string;
  payload: string;
  attempts_made: number;
}

/** The job rows as another connection sees them: what is committed. */
function committedRows(file: string): Row[] {
  const db = new Database(file);
  try {
    return db
      .prepare("SELECT member_id, id, state, payload, attempts_made FROM b24kit_jobs ORDER BY member_id, id")
      .all() as Row[];
  } finally {
    db.close();
  }
}

const job = (memberId: string, id: string, payload: NewJob["payload"] = { id }): NewJob => ({
  memberId,
  id,
  kind: "event",
  payload,
});

/** A runner from a function whose result does not matter (never a postponement). */
const runner =
  (f: (job: QueuedJob) => unknown): JobRunner =>
  async (job) => {
    await f(job);
    return undefined;
  };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await sleep(5);
  }
}

describe("sqliteJobQueue: enqueues in one turn share one commit", () => {
  it("many concurrent enqueues all resolve, de-duplicate within the batch, and are all in the file", async () => {
    const file = newFile();
    const queue = open(file);
    const jobs: NewJob[] = [];
    for (let i = 0; i < 300; i++) jobs.push(job(`m${i % 7}`, `e${i}`, { i, text: `Ж${i}` }));
    // Duplicates inside the same batch: the same (member, id) twice, and the same id under another tenant.
    const duplicates = [job("m0", "e0", { dup: 1 }), job("m1", "e1", { dup: 2 })];
    const otherTenant = job("zz", "e0", { other: true });
    const results = await Promise.all([...jobs, ...duplicates, otherTenant].map((j) => queue.enqueue(j)));
    expect(results.slice(0, 300).every((added) => added === true)).toBe(true);
    expect(results.slice(300, 302)).toEqual([false, false]);
    expect(results[302]).toBe(true);

    // Committed when enqueue resolved: another connection sees every row, with the first payload kept.
    const rows = committedRows(file);
    expect(rows).toHaveLength(301);
    expect(rows.every((r) => r.state === "waiting")).toBe(true);
    expect(JSON.parse(rows.find((r) => r.member_id === "m0" && r.id === "e0")!.payload)).toEqual({
      i: 0,
      text: "Ж0",
    });

    // A second enqueue of a kept job, in a later turn, is still refused.
    expect(await queue.enqueue(job("m3", "e3"))).toBe(false);

    // A new queue instance on the same file (a restarted process) has every job.
    await closeQueue(queue);
    const again = open(file);
    expect((await again.stats()).waiting).toBe(301);
    const seen: QueuedJob[] = [];
    const consumer = again.consume(
      runner(async (j) => {
        seen.push(j);
      }),
      { concurrency: 8 },
    );
    await waitFor(() => seen.length >= 301);
    await consumer.stop();
    const keys = seen.map((j) => `${j.memberId}/${j.id}`);
    expect(new Set(keys).size).toBe(301);
    const e5 = seen.find((j) => j.memberId === "m5" && j.id === "e5");
    expect(e5?.payload).toEqual({ i: 5, text: "Ж5" });
    expect(seen.find((j) => j.memberId === "zz")?.payload).toEqual({ other: true });
  });

  it("a batch is one commit, not one per job (the WAL stays a few pages long)", async () => {
    const file = newFile();
    const queue = open(file);
    await queue.enqueue(job("warm", "up")); // schema and first pages
    const walBefore = statSync(`${file}-wal`).size;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => queue.enqueue(job(`m${i % 5}`, `b${i}`, { i }))),
    );
    expect(results.every(Boolean)).toBe(true);
    const grown = statSync(`${file}-wal`).size - walBefore;
    // One commit per job would append at least one 4 KiB page frame per job (≥ 800 KiB here).
    expect(grown).toBeLessThan(50 * 4096);
    expect(committedRows(file)).toHaveLength(201);
  });

  it("enqueues in different turns each resolve, each after its own commit", async () => {
    const file = newFile();
    const queue = open(file);
    for (let i = 0; i < 5; i++) {
      expect(await queue.enqueue(job("m", `t${i}`))).toBe(true);
      expect(committedRows(file).map((r) => r.id)).toContain(`t${i}`);
    }
  });

  it("a payload that cannot be serialised fails only its own enqueue", async () => {
    const file = newFile();
    const queue = open(file);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const outcomes = await Promise.allSettled([
      queue.enqueue(job("m", "good-1")),
      queue.enqueue({ memberId: "m", id: "bad", kind: "event", payload: cyclic as never }),
      queue.enqueue(job("m", "good-2")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(committedRows(file).map((r) => r.id)).toEqual(["good-1", "good-2"]);
  });

  it("enqueues waiting for their turn's commit when close() is called are written, then enqueue refuses", async () => {
    const file = newFile();
    const queue = open(file);
    const pending = Array.from({ length: 20 }, (_, i) => queue.enqueue(job("m", `c${i}`)));
    const closing = closeQueue(queue);
    expect(await Promise.all(pending)).toEqual(Array(20).fill(true));
    await closing;
    await expect(queue.enqueue(job("m", "after"))).rejects.toThrow();
    expect(committedRows(file)).toHaveLength(20);
  });
});

describe("sqliteJobQueue: a due job goes straight to an idle worker", () => {
  it("a job enqueued while the worker is idle runs promptly, with its fields intact", async () => {
    const file = newFile();
    const queue = open(file, { policy: { maxAttempts: 3, backoffMs: 10 } });
    const ran: Array<{ job: QueuedJob; at: number }> = [];
    queue.consume(
      runner(async (j) => {
        ran.push({ job: j, at: Date.now() });
      }),
      { concurrency: 1 },
    );
    await sleep(50); // the worker's first claim found nothing: it is idle
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      expect(await queue.enqueue(job("m1", `p${i}`, { n: i, s: "ü" }))).toBe(true);
      await waitFor(() => ran.length === i + 1, 2000);
      // Far below the idle worker's 1 s look-again: it was handed the job (or woken for it).
      expect(ran[i]!.at - before).toBeLessThan(300);
      expect(ran[i]!.job).toMatchObject({
        memberId: "m1",
        id: `p${i}`,
        kind: "event",
        payload: { n: i, s: "ü" },
        attemptsMade: 0,
        maxAttempts: 3,
      });
      expect(ran[i]!.job.enqueuedAt).toBeGreaterThanOrEqual(before - 5);
      expect(ran[i]!.job.enqueuedAt).toBeLessThanOrEqual(Date.now());
      await sleep(20);
    }
  });

  it("a handed job is running under a lease while it runs, and done afterwards", async () => {
    const file = newFile();
    const queue = open(file);
    let stateWhileRunning: string | undefined;
    let finished = false;
    queue.consume(
      runner(async () => {
        stateWhileRunning = committedRows(file).find((r) => r.id === "lease")?.state;
        finished = true;
      }),
      { concurrency: 1 },
    );
    await sleep(50);
    await queue.enqueue(job("m", "lease"));
    await waitFor(() => finished);
    expect(stateWhileRunning).toBe("running");
    const stats = await queue.stats();
    expect(stats).toMatchObject({ waiting: 0, running: 0, dead: 0 });
    expect(committedRows(file).find((r) => r.id === "lease")?.state).toBe("done");
  });

  it("a batch of more due jobs than idle workers runs every job exactly once", async () => {
    const file = newFile();
    const queue = open(file);
    const runs = new Map<string, number>();
    queue.consume(
      runner(async (j) => {
        await sleep(5);
        runs.set(j.id, (runs.get(j.id) ?? 0) + 1);
      }),
      { concurrency: 3 },
    );
    await sleep(50);
    const ids = Array.from({ length: 25 }, (_, i) => `j${i}`);
    // Duplicates in the batch too: the second of each pair must neither run nor take a worker for good.
    const results = await Promise.all([
      ...ids.map((id) => queue.enqueue(job(`t${id.length}`, id))),
      queue.enqueue(job("t2", "j0")),
      queue.enqueue(job("t3", "j10")),
    ]);
    expect(results).toEqual([...ids.map(() => true), false, false]);
    await waitFor(() => runs.size === 25);
    await sleep(150);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect((await queue.stats()).waiting).toBe(0);
    // The pool still works after the hand-offs: a later job runs too.
    await queue.enqueue(job("t9", "later"));
    await waitFor(() => runs.has("later"), 2000);
  });

  it("a handed job that fails is retried as any job, then dead after maxAttempts", async () => {
    const file = newFile();
    const queue = open(file, { policy: { maxAttempts: 2, backoffMs: 20 } });
    const attempts: number[] = [];
    queue.consume(
      runner(async (j) => {
        attempts.push(j.attemptsMade);
        throw new Error(`boom ${j.attemptsMade}`);
      }),
      { concurrency: 1 },
    );
    await sleep(50);
    await queue.enqueue(job("m", "fails"));
    await waitFor(() => attempts.length === 2, 3000);
    await sleep(50);
    expect(attempts).toEqual([0, 1]);
    const dead = await queue.deadLetters();
    expect(dead.map((d) => d.id)).toEqual(["fails"]);
    expect(dead[0]?.lastError).toBe("boom 1");
  });

  it("a delayed job is not handed over before its time", async () => {
    const file = newFile();
    const queue = open(file);
    let ranAt = 0;
    queue.consume(
      runner(async () => {
        ranAt = Date.now();
      }),
      { concurrency: 2 },
    );
    await sleep(50);
    const start = Date.now();
    await queue.enqueue({ ...job("m", "later"), delayMs: 300 });
    await waitFor(() => ranAt > 0, 3000);
    expect(ranAt - start).toBeGreaterThanOrEqual(290);
  });
});

describe("sqliteJobQueue: done marks", () => {
  it("are written within about 100 ms without any further write", async () => {
    const file = newFile();
    const queue = open(file);
    let done = 0;
    queue.consume(
      runner(async () => {
        done += 1;
      }),
      { concurrency: 2 },
    );
    await sleep(50);
    await Promise.all([queue.enqueue(job("m", "d1")), queue.enqueue(job("m", "d2"))]);
    await waitFor(() => done === 2);
    await sleep(300);
    // Read from another connection: no stats()/flush from this queue forced them.
    expect(committedRows(file).map((r) => [r.id, r.state, r.payload])).toEqual([
      ["d1", "done", "null"],
      ["d2", "done", "null"],
    ]);
  });

  it("pending at close() are written: a reopened queue does not hand out completed jobs again", async () => {
    const file = newFile();
    const queue = open(file);
    const ids = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const done = new Set<string>();
    queue.consume(
      runner(async (j) => {
        done.add(j.id);
      }),
      { concurrency: 4 },
    );
    await Promise.all(ids.map((id) => queue.enqueue(job("m", id))));
    await waitFor(() => done.size === 10);
    await sleep(1); // the runs' settle (done mark) follows the runner's return
    await closeQueue(queue); // well within the 100 ms the marks may wait

    expect(committedRows(file).every((r) => r.state === "done")).toBe(true);
    const again = open(file);
    const rerun: string[] = [];
    again.consume(
      runner(async (j) => {
        rerun.push(j.id);
      }),
      { concurrency: 2 },
    );
    await sleep(300);
    expect(rerun).toEqual([]);
    expect(await again.stats()).toMatchObject({ waiting: 0, running: 0 });
    // A done job's id still de-duplicates.
    expect(await again.enqueue(job("m", "k3"))).toBe(false);
  });

  it("ride along with the next insert batch", async () => {
    const file = newFile();
    const queue = open(file);
    let done = 0;
    queue.consume(
      runner(async () => {
        done += 1;
      }),
      { concurrency: 1 },
    );
    await sleep(50);
    await queue.enqueue(job("m", "first"));
    await waitFor(() => done === 1);
    await new Promise((resolve) => setImmediate(resolve));
    // A delayed job (no hand-off, no claim) is a write: the waiting done mark goes with it.
    await queue.enqueue({ ...job("m", "second"), delayMs: 60_000 });
    expect(committedRows(file).find((r) => r.id === "first")?.state).toBe("done");
  });
});
