// The @b24kit/app/sqlite entry point: the embedded profile's store (better-sqlite3).

export { type SqliteJobQueueOptions, sqliteJobQueue } from "./queue/sqlite-job-queue.js";
export { type SqliteStoreOptions, sqliteStore } from "./storage/sqlite-store.js";
