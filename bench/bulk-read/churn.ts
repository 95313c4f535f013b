// Changes a portal while a reader reads it: 10 % of the rows added and 10 % deleted, spread evenly
// over the read (by the share of rows read so far), from one seeded plan, so every method meets the
// same changes at the same points of its progress.
/** Deletions and additions per request: one batch of 50 commands. */
const PAIRS = 25;

async function batch(hook: string, commands: string[]): Promise<void> {
  const cmd = Object.fromEntries(commands.map((c, i) => [`c${i}`, c]));
  const res = await fetch(`${hook}batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ halt: 0, cmd }),
  });
  if (!res.ok) throw new Error(`churn batch: ${res.status}`);
}

/** A small seeded PRNG (mulberry32): the same plan in every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Churn {
  readonly deleted = new Set<number>();
  readonly #deletes: number[];
  readonly #adds: number;
  #done = 0;

  /** Rows 1..rows exist at the start; `share` of them are deleted and as many added. */
  constructor(
    private readonly hook: string,
    private readonly rows: number,
    share = 0.1,
    seed = 42,
  ) {
    const next = random(seed);
    const ids = Array.from({ length: rows }, (_, i) => i + 1);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    this.#deletes = ids.slice(0, Math.round(rows * share));
    this.#adds = this.#deletes.length;
  }

  /** Applies the changes due once `read` rows of the original count have been read. */
  async catchUp(read: number): Promise<void> {
    const due = Math.min(this.#adds, Math.floor((this.#adds * read) / this.rows));
    // Whole batches only (every 250 rows read at 10 %), the remainder once everything is due.
    while (due - this.#done >= PAIRS || (due === this.#adds && this.#done < due)) {
      const n = Math.min(PAIRS, due - this.#done);
      const removing = this.#deletes.slice(this.#done, this.#done + n);
      await batch(this.hook, [
        ...removing.map((id) => `crm.deal.delete?id=${id}`),
        ...Array.from({ length: n }, (_, i) => `crm.deal.add?fields[TITLE]=added%20${this.#done + i}`),
      ]);
      for (const id of removing) this.deleted.add(id);
      this.#done += n;
    }
  }

  /** What a reader lost: original rows that were never deleted yet never came back, and repeats. */
  judge(returned: number[]): { missed: number; duplicated: number } {
    const seen = new Set(returned);
    let missed = 0;
    for (let id = 1; id <= this.rows; id++) if (!this.deleted.has(id) && !seen.has(id)) missed++;
    return { missed, duplicated: returned.length - seen.size };
  }
}
