// The @b24kit/app/postgres entry point: the cluster profile's store and refresh lock (pg).
export { type PostgresStoreOptions, postgresStore } from "./storage/postgres-store.js";
export { type PgRefreshLockOptions, pgRefreshLock } from "./vault/pg-refresh-lock.js";
