import type { SqliteConnection, SqliteStatement } from "./sqlite-connection.js";

/**
 * Kysely's SQLite driver prepares every query again; preparing costs more
 * than running the small statements the runtime issues per request. This
 * keeps the last `size` prepared statements by their SQL (least recently used
 * out). Safe because every query runs to completion at once (`all`/`run`);
 * nothing here streams a statement while another use of it starts.
 */
export function withStatementCache(db: SqliteConnection, size = 256): SqliteConnection {
  const cache = new Map<string, SqliteStatement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached) {
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as typeof db.prepare;
  return db;
}
