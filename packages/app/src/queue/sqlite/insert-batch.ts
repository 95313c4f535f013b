/** One job row ready to insert: its payload already serialised (a bad payload fails only its own enqueue). */
export interface PendingInsert {
  memberId: string;
  id: string;
  kind: string;
  payload: string;
  runAt: number;
  now: number;
}

/** What the batch's transaction reports per row: added, a duplicate, or the row's own error. */
export type InsertResult = boolean | { error: unknown };

/**
 * Group commit for enqueues: rows added within one turn of the event loop are
 * written in one transaction at the end of the turn (setImmediate) instead of
 * one commit each — a commit (WAL append, locks) costs more than the insert.
 * Each caller's promise settles only after that commit, so a job is still on
 * disk before `enqueue` resolves. Under load more requests land in one turn,
 * so the cost per job falls as the rate rises; when idle a batch is one row.
 */
export class InsertBatch {
  readonly #commit: (rows: PendingInsert[]) => InsertResult[];
  #rows: PendingInsert[] = [];
  #settlers: Array<{ resolve: (added: boolean) => void; reject: (error: unknown) => void }> = [];
  #scheduled = false;

  /** `commit` writes the rows in one transaction; if it throws, every row of the batch fails. */
  constructor(commit: (rows: PendingInsert[]) => InsertResult[]) {
    this.#commit = commit;
  }

  add(row: PendingInsert): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#rows.push(row);
      this.#settlers.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is waiting now (end of turn, or before the queue closes). */
  flush(): void {
    this.#scheduled = false;
    const rows = this.#rows;
    const settlers = this.#settlers;
    if (rows.length === 0) return;
    this.#rows = [];
    this.#settlers = [];
    let results: InsertResult[];
    try {
      results = this.#commit(rows);
    } catch (error) {
      for (const settler of settlers) settler.reject(error);
      return;
    }
    settlers.forEach((settler, i) => {
      const result = results[i];
      if (typeof result === "boolean") settler.resolve(result);
      else settler.reject(result?.error);
    });
  }
}
