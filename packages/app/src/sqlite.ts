// The @b24kit/app/sqlite entry point: the embedded profile's store (libsql, SQLite with better-sqlite3's API).

export { type SqliteJobQueueOptions, sqliteJobQueue } from "./queue/sqlite-job-queue.js";
export { type SqliteStoreOptions, sqliteStore } from "./storage/sqlite-store.js";
