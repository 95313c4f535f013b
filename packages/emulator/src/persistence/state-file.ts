// libsql: SQLite with better-sqlite3's API, prebuilt in the npm registry (no compiler at install).
import Database from "libsql";
import type { World } from "../state/world.js";
import { restoreWorld, snapshotWorld, type WorldSnapshot } from "./snapshot.js";

/**
 * `--state FILE`: the emulator's state kept in a SQLite file. Writes are
 * coalesced (at most one snapshot per 200 ms) so a burst of REST calls does
 * not turn into a burst of disk writes; close() flushes.
 */
export class StateFile {
  readonly #db: Database.Database;
  #timer: NodeJS.Timeout | undefined;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.exec(
      "CREATE TABLE IF NOT EXISTS emulator_state (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)",
    );
  }

  /** Restores the saved state into `world`; false when the file holds none yet. */
  load(world: World): boolean {
    const row = this.#db.prepare("SELECT json FROM emulator_state WHERE id = 1").get() as
      | { json: string }
      | undefined;
    if (!row) return false;
    restoreWorld(world, JSON.parse(row.json) as WorldSnapshot);
    return true;
  }

  scheduleSave(world: World): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.saveNow(world);
    }, 200);
  }

  saveNow(world: World): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#db.open) return;
    this.#db
      .prepare(
        "INSERT INTO emulator_state (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
      )
      .run(JSON.stringify(snapshotWorld(world)));
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
