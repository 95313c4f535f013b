import { AppError } from "../core/app-error.js";
import type { AppStore } from "./app-store.js";

/** Where a database URL points (`parseDatabaseUrl`). */
export type DatabaseTarget =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; schema?: string };

const HOW =
  "use sqlite:FILE (e.g. sqlite:./data/b24kit.db) or postgres://user:password@host:5432/database[?schema=name]";

/**
 * `sqlite:FILE`, `sqlite://FILE` (`sqlite:///abs/path` for an absolute path),
 * `sqlite::memory:`, `postgres://…` or `postgresql://…` with an optional
 * `?schema=name` (taken off before pg sees the URL).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const text = url.trim();
  if (text === "") throw new AppError("DATABASE_URL_INVALID", 500, `No database URL given: ${HOW}`);
  if (/^sqlite:/i.test(text)) {
    const rest = text.slice("sqlite:".length);
    const file = rest.startsWith("//") ? rest.slice(2) : rest;
    if (file === "") throw new AppError("DATABASE_URL_INVALID", 500, `The SQLite URL names no file: ${HOW}`);
    return { kind: "sqlite", file };
  }
  if (/^postgres(ql)?:\/\//i.test(text)) {
    const parsed = new URL(text);
    const schema = parsed.searchParams.get("schema") ?? undefined;
    parsed.searchParams.delete("schema");
    return { kind: "postgres", url: parsed.toString(), ...(schema ? { schema } : {}) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  throw new AppError(
    "DATABASE_URL_INVALID",
    500,
    `Unsupported database URL${scheme ? ` scheme "${scheme}:"` : ""}: ${HOW}`,
  );
}

/** The URL with its password hidden, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite") return `sqlite:${target.file}`;
  const shown = new URL(target.url);
  if (shown.password) shown.password = "***";
  return `${shown.toString()}${target.schema ? ` (schema ${target.schema})` : ""}`;
}

/**
 * The AppStore a URL names (B24KIT_DATABASE_URL, `b24kit migrate --database`).
 * The adapter is imported on demand, so loading `@b24kit/app` never loads
 * libsql (a native addon) or pg unless a store of that kind is opened.
 */
export async function storeFromUrl(url: string): Promise<AppStore> {
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite") {
    const { sqliteStore } = await import("./sqlite-store.js");
    return sqliteStore({ file: target.file });
  }
  const { postgresStore } = await import("./postgres-store.js");
  return postgresStore({ url: target.url, ...(target.schema ? { schema: target.schema } : {}) });
}
