import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import type { AppStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { KyselyAppStore } from "./kysely-app-store.js";
import { migrateToLatest } from "./migrations.js";
import { startCheckpointer } from "./sqlite-checkpointer.js";
import { openSqlite, type SqliteConnection } from "./sqlite-connection.js";
import { withStatementCache } from "./statement-cache.js";

export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder if missing), or ":memory:" for tests. */
  file: string;
  /** How long a statement waits for another process's write lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

const IN_MEMORY = ":memory:";

/**
 * AppStore on one SQLite file (the embedded profile). WAL lets readers run
 * while a write is in progress; the busy timeout makes a second process wait
 * for the write lock instead of failing. `synchronous` is FULL, set on every
 * open: a refresh token is single-use, so a committed rotation must survive a
 * power cut. (Left to the driver it varies: better-sqlite3's build made a
 * reopened WAL file NORMAL, SQLITE_DEFAULT_WAL_SYNCHRONOUS=1.)
 */
export function sqliteStore(options: SqliteStoreOptions): AppStore {
  const open = () => openDatabase(options);
  const database = open();
  // Checkpoints (which sync the file) run on a thread of their own, not inside a request's commit.
  let checkpointer: { stop(): Promise<void> } | undefined;
  if (options.file !== IN_MEMORY) {
    database.pragma("wal_autocheckpoint = 0");
    checkpointer = startCheckpointer(options.file);
  }
  const db = new Kysely<AppDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  return new KyselyAppStore({
    db,
    migrate: () => (options.file === IN_MEMORY ? migrateToLatest(db) : migrateExclusively(open)),
    close: async () => {
      await db.destroy();
      await checkpointer?.stop();
    },
  });
}

function openDatabase(options: SqliteStoreOptions): SqliteConnection {
  if (options.file !== IN_MEMORY) mkdirSync(dirname(options.file), { recursive: true });
  const database = openSqlite(options.file, options);
  if (options.file !== IN_MEMORY) database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  return database;
}

/**
 * Kysely runs SQLite migrations outside a transaction and without a lock, so
 * two processes starting at once could both apply one. On a connection of its
 * own, `BEGIN IMMEDIATE` takes the write lock first: the other process waits,
 * then finds the schema current; a failed migration leaves nothing behind.
 */
async function migrateExclusively(open: () => SqliteConnection): Promise<string[]> {
  const connection = open();
  const db = new Kysely<AppDatabase>({ dialect: new SqliteDialect({ database: connection }) });
  try {
    connection.exec("BEGIN IMMEDIATE");
    const applied = await migrateToLatest(db);
    connection.exec("COMMIT");
    return applied;
  } catch (error) {
    if (connection.inTransaction) connection.exec("ROLLBACK");
    throw error;
  } finally {
    await db.destroy();
  }
}
