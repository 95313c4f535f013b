import type { Command } from "commander";
import { databaseUrlFrom } from "../options/database-url.js";

/** `b24kit migrate`: creates or upgrades the app's tables (tenants, tokens, audit log, …) and says what it did. */
export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description("create or upgrade the app's database schema")
    .option("--database <url>", "sqlite:FILE or postgres://… (default: $B24KIT_DATABASE_URL)")
    .action(async (opts: { database?: string }) => {
      const url = await databaseUrlFrom(opts.database, process.env, { existing: false });
      if (!url) {
        throw new Error("no database: pass --database sqlite:FILE|postgres://… or set B24KIT_DATABASE_URL");
      }
      // The app runtime (and its database drivers) loads only once there is a database to migrate.
      const { APP_STORE_MIGRATION_NAMES, describeDatabaseUrl, storeFromUrl } = await import("@b24kit/app");
      const store = await storeFromUrl(url);
      try {
        const applied = await store.migrate();
        const latest = APP_STORE_MIGRATION_NAMES.at(-1) ?? "none";
        const lines = [`database ${describeDatabaseUrl(url)}`];
        for (const name of applied) lines.push(`  applied ${name}`);
        lines.push(applied.length ? `schema is now at ${latest}` : `schema already up to date (${latest})`);
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });
}
