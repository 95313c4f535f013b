import {
  type AppStore,
  AUDIT_KINDS,
  type AuditKind,
  auditJsonLine,
  formatAuditTable,
  parseTimeBound,
  queryAuditLog,
  storeFromUrl,
} from "@b24kit/app";
import { type Command, InvalidArgumentError } from "commander";
import { databaseUrlFrom } from "../options/database-url.js";
import { memberIdValue } from "../options/member-id.js";
import { wholeNumber } from "../options/number-values.js";

interface LogsOptions {
  memberId?: string;
  since?: number;
  until?: number;
  kind?: AuditKind[];
  correlationId?: string;
  limit: number;
  json?: boolean;
  database?: string;
}

/** What the command needs from outside; tests and embedders pass their own. */
export interface LogsCommandDeps {
  /** Opens the store a database URL names (`storeFromUrl` unless given). */
  openStore?: (url: string) => Promise<AppStore>;
  out?: { write(text: string): unknown };
  err?: { write(text: string): unknown };
  /** Wall-clock unix ms, for `--since 1h`. */
  now?: () => number;
}

/** --kind rest,inbound: each one a kind the audit log writes. */
function kinds(value: string): AuditKind[] {
  const list = value
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = list.filter((k) => !(AUDIT_KINDS as readonly string[]).includes(k));
  if (list.length === 0)
    throw new InvalidArgumentError(`--kind must name at least one kind (known: ${AUDIT_KINDS.join(", ")})`);
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `--kind: unknown ${unknown.join(", ")} (known: ${AUDIT_KINDS.join(", ")})`,
    );
  return list as AuditKind[];
}

/** --since / --until: a duration back from now (30m, 1h, 7d) or an ISO time, as unix ms. */
function timeBound(name: string, now: () => number): (value: string) => number {
  return (value) => {
    try {
      return parseTimeBound(value, now());
    } catch (error) {
      throw new InvalidArgumentError(`${name}: ${(error as Error).message}`);
    }
  };
}

/** A store error that only means nobody ran the migrations on this database yet. */
function noSchema(error: unknown): boolean {
  return /no such table|relation .* does not exist/i.test(
    error instanceof Error ? error.message : String(error),
  );
}

/**
 * `b24kit logs`: a tenant's audit log (or every tenant's without --member-id),
 * oldest first like `tail`, as a table or as JSON lines (`--json`). Rows are
 * stored redacted, so nothing secret can be printed.
 */
export function registerLogsCommand(program: Command, deps: LogsCommandDeps = {}): void {
  const openStore = deps.openStore ?? storeFromUrl;
  const out = deps.out ?? process.stdout;
  const err = deps.err ?? process.stderr;
  const now = deps.now ?? Date.now;
  program
    .command("logs")
    .description("show the audit log: REST calls, inbound requests, OAuth exchanges")
    .option("--member-id <id>", "one portal's lines (default: every portal's)", memberIdValue("--member-id"))
    .option("--since <time>", "from this time: 30m, 1h, 7d, or an ISO time", timeBound("--since", now))
    .option("--until <time>", "before this time: 30m, 1h, 7d, or an ISO time", timeBound("--until", now))
    .option("--kind <kinds>", `only these kinds, comma-separated (${AUDIT_KINDS.join(",")})`, kinds)
    .option("--correlation-id <id>", "everything one request or job caused")
    .option(
      "--limit <n>",
      "at most this many of the newest lines (1..10000)",
      wholeNumber("--limit", 1, 10_000),
      100,
    )
    .option("--json", "one JSON object per line")
    .option("--database <url>", "sqlite:FILE or postgres://… (default: $B24KIT_DATABASE_URL)")
    .action(async (opts: LogsOptions) => {
      if (opts.since !== undefined && opts.until !== undefined && opts.since >= opts.until)
        throw new Error("--since must be before --until: that window holds nothing");
      const url = await databaseUrlFrom(opts.database, process.env, { existing: true });
      if (!url)
        throw new Error("no database: pass --database sqlite:FILE|postgres://… or set B24KIT_DATABASE_URL");
      const query = {
        memberId: opts.memberId,
        since: opts.since,
        until: opts.until,
        kinds: opts.kind,
        correlationId: opts.correlationId,
        limit: opts.limit,
      };
      const store = await openStore(url);
      try {
        const entries = await queryAuditLog(store, query).catch((error: unknown) => {
          if (noSchema(error))
            throw new Error("this database has no audit log yet: run `b24kit migrate` first");
          throw error;
        });
        const oldestFirst = [...entries].reverse();
        if (opts.json) {
          for (const entry of oldestFirst) out.write(`${auditJsonLine(entry)}\n`);
          return;
        }
        if (oldestFirst.length === 0) {
          err.write("no audit lines match\n");
          return;
        }
        out.write(`${formatAuditTable(oldestFirst, { withMember: opts.memberId === undefined })}\n`);
        if (entries.length === opts.limit) {
          err.write(`(the newest ${opts.limit} lines; --limit or --since for more)\n`);
        }
      } finally {
        await store.close();
      }
    });
}
