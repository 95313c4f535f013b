import type { QueuedJob } from "./job-queue.js";

export interface WorkerPoolOptions {
  concurrency: number;
  clock: { now(): number };
  /** Takes the next job that is due (fairly across tenants), or none. */
  claim(): QueuedJob | undefined;
  /** When the earliest waiting job becomes due (unix ms), if any. */
  nextRunAt(): number | undefined;
  run(job: QueuedJob): Promise<void>;
}

/** Idle workers look again at least this often: another process may have added work to the file. */
const MAX_IDLE_MS = 1000;

/**
 * In-process workers over a claim function: each loop takes a due job and
 * runs it; when none is due, the loops sleep until the next due time or
 * until `wake` says a new job arrived — no busy polling.
 */
export class WorkerPool {
  #running = false;
  #loops: Promise<void>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Idle loops: each waits to be woken, with a job handed to it or without (then it claims). */
  #sleepers: Array<(job?: QueuedJob) => void> = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  start(): void {
    this.#running = true;
    for (let i = 0; i < this.options.concurrency; i++) this.#loops.push(this.#loop());
  }

  /** A job due at `at` was added or revived: one sleeping worker takes it (waking all would have them race for it). */
  wake(at: number): void {
    if (at <= this.options.clock.now()) this.#sleepers.shift()?.();
    else this.#schedule(at);
  }

  /**
   * Takes one idle worker out of the sleepers, for a job the caller hands it
   * (or `undefined`: it then looks for work itself). None when all are busy or stopping.
   */
  reserveIdle(): ((job: QueuedJob | undefined) => void) | undefined {
    return this.#running ? this.#sleepers.shift() : undefined;
  }

  /** Stops taking jobs; waits for runs in flight unless `abandon` (the queue is closing under them). */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    this.#running = false;
    this.#wakeAll();
    if (this.#timer) clearTimeout(this.#timer);
    if (!options.abandon) await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      const job = this.options.claim();
      if (job) {
        await this.options.run(job);
        // A run of a quick handler on SQLite settles in microtasks: without a turn of the event loop
        // here, a backlog would be worked off before the next request is read, and the ingress's
        // acknowledgements (which the portal times) would wait behind it.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const next = this.options.nextRunAt();
      if (next !== undefined) this.#schedule(next);
      const handed = await new Promise<QueuedJob | undefined>((resolve) => {
        this.#sleepers.push(resolve);
        if (next === undefined && !this.#timer) this.#schedule(this.options.clock.now() + MAX_IDLE_MS);
      });
      if (handed) await this.options.run(handed);
    }
  }

  /** One timer for the whole pool, set for the soonest wake-up anyone needs. */
  #schedule(at: number): void {
    const when = Math.min(at, this.options.clock.now() + MAX_IDLE_MS);
    if (this.#timer && this.#timerAt <= when) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = when;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#wakeAll();
      },
      Math.max(0, when - this.options.clock.now()),
    );
  }

  #wakeAll(): void {
    const sleepers = this.#sleepers;
    this.#sleepers = [];
    for (const wake of sleepers) wake();
  }
}
