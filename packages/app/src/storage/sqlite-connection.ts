import Database from "libsql";

/**
 * The embedded profile's SQLite driver, in one place. libsql is a fork of SQLite with the
 * better-sqlite3 API whose binary ships prebuilt in the npm registry for the common platforms
 * (`@libsql/<platform>` optional dependencies): installing needs no compiler and no download from
 * GitHub. better-sqlite3 compiled SQLite from source on machines without that access, 70 s of a
 * fresh install here (README, "What npm install prints"). Two differences matter to callers:
 * `transaction()` does not nest (no savepoints), and a row from `Statement.get` carries an extra
 * `_metadata` key, so read named columns rather than spreading rows.
 */
export type SqliteConnection = Database.Database;
export type SqliteStatement = Database.Statement;

/** The module a worker thread requires to open a connection of its own. */
export const SQLITE_DRIVER_MODULE = "libsql";

export function openSqlite(file: string, options: { busyTimeoutMs?: number } = {}): SqliteConnection {
  // libsql's `timeout` is SQLite's busy timeout in milliseconds, as in better-sqlite3.
  return new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
}
