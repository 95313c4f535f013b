import { existsSync } from "node:fs";

/**
 * The app's database URL (`--database`, else B24KIT_DATABASE_URL): sqlite:FILE
 * or postgres://…, as the runtime reads it, checked before anything opens it;
 * undefined when neither is given. With `existing`, a SQLite file must be there
 * already: commands that only read it would otherwise create an empty database
 * where a path was mistyped.
 *
 * Checked when the command runs rather than by commander: commander's message
 * would print the whole value (a PostgreSQL URL carries its password), and the
 * app runtime that reads URLs loads only when a command needs a database.
 */
export async function databaseUrlFrom(
  option: string | undefined,
  env: Record<string, string | undefined>,
  { existing }: { existing: boolean },
): Promise<string | undefined> {
  const [name, value] =
    option !== undefined
      ? ["--database", option]
      : ["B24KIT_DATABASE_URL", env.B24KIT_DATABASE_URL || undefined];
  if (value === undefined) return undefined;
  const { parseDatabaseUrl } = await import("@b24kit/app");
  let target: ReturnType<typeof parseDatabaseUrl>;
  try {
    target = parseDatabaseUrl(value);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  if (existing && target.kind === "sqlite" && target.file !== ":memory:" && !existsSync(target.file))
    throw new Error(
      `${name}: no SQLite database at ${target.file}: run \`b24kit migrate\` first (or check the path)`,
    );
  return value;
}
