import type { FetchLike, RefreshLock } from "@b24kit/rest";
import { z } from "zod";
import type { AuditLogLogger } from "../audit/audit-log.js";
import type { BotHandlers } from "../bots/bot-handlers.js";
import type { AppConfig, AppConfigInput } from "../config/app-config.js";
import type { ConsoleOptions } from "../console/console-routes.js";
import type { EventHandlers } from "../events/event-types.js";
import type { FieldTypeHandlers } from "../field-types/field-type-types.js";
import type { AppManifestInput } from "../manifest/app-manifest.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { RobotHandlers } from "../robots/robot-types.js";
import type { AppStore } from "../storage/app-store.js";
import { AppError } from "./app-error.js";
import type { ApiHandler, FrameHandler } from "./handler-types.js";

export interface CreateAppOptions {
  manifest: AppManifestInput;
  config: AppConfigInput | AppConfig;
  store: AppStore;
  /** The app's page (PLACEMENT=DEFAULT), after install. */
  page?: FrameHandler;
  /** Placement handlers by placement code; each must be declared in the manifest. */
  placements?: Record<string, FrameHandler>;
  /** The manifest's field types, by code: `{view, edit?}` render the field in CRM cards (USERFIELD_TYPE frames). */
  fieldTypes?: Record<string, FieldTypeHandlers>;
  /** Backend calls from the app's frames: `b24kit.api(name, body)`. */
  api?: Record<string, ApiHandler>;
  /** Event handlers by event name; each event must be in the manifest. They run from the queue. */
  events?: EventHandlers;
  /** The manifest's bots, by bot code: commands, plain messages, joins (bot events run from the queue). */
  bots?: BotHandlers;
  /** The manifest's robots, by code: each returns its return values (robots run from the queue). */
  robots?: RobotHandlers;
  /**
   * Where events wait for their handlers: `sqliteJobQueue` (`@b24kit/app/sqlite`, embedded) or
   * `bullmqJobQueue` (`@b24kit/app/bullmq`, cluster). Needed when the manifest has events.
   */
  queue?: JobQueue;
  /**
   * Workers in this process (default 4 with a queue). 0 in the web processes of the cluster profile,
   * whose workers run with `b24kit worker` (`app.work()`).
   */
  workers?: number;
  /** Tag of the runtime's offline bindings and of its handlers' writes (default "b24kit"). */
  authConnector?: string;
  /** How often workers read the offline queues besides ONOFFLINEEVENT (default 5 minutes; 0 = only on the nudge). */
  offlineDrainIntervalMs?: number;
  /** The longest a job's REST call waits for the portal's limits before the job is postponed (default 2000 ms). */
  maxLimitWaitMs?: number;
  /** Makes token refresh single-flight across processes (Redis or PostgreSQL lock); in-process by default. */
  refreshLock?: RefreshLock;
  fetch?: FetchLike;
  /** Wall-clock unix ms (sessions, expiry, audit). */
  clock?: { now(): number };
  /** Structured logs (`createLogger()`); secrets are scrubbed from every line. None by default. */
  logger?: AuditLogLogger;
  /** Prune the audit log on start and daily (config.auditRetentionDays). Default true. */
  auditRetention?: boolean;
  /** Create or upgrade the schema on start (as `b24kit migrate` does). Default true. */
  migrate?: boolean;
  /**
   * The operator console at `{publicUrl}console/`: who may sign in (else `config.consoleOperators`).
   * Off (404) when nobody may.
   */
  console?: ConsoleOptions;
}

/**
 * `createApp`'s options besides `config` and `manifest` (each parsed by its own
 * schema), checked where they come in: a wrong value would otherwise fail late
 * and elsewhere (`workers: NaN` starting no worker, a 5 ms drain interval
 * hammering the portal, a store missing `migrate` failing the first request),
 * and a misspelt key from JavaScript would be ignored.
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const withMethods = (...names: string[]) =>
  z.custom((v) => isObject(v) && names.every((name) => typeof v[name] === "function"));
const fn = z.custom((v) => typeof v === "function");
const handlersByName = z.record(z.string(), fn);
const milliseconds = z.number().min(0).refine(Number.isFinite);

/** Each option with what it takes, in the words of the error that refuses it. */
const RULES: { [K in keyof CreateAppOptions]-?: [schema: z.ZodType, allowed: string] } = {
  manifest: [z.custom(isObject), "the app's manifest ({name, scopes, placements?, events?, …})"],
  config: [z.custom(isObject), "the configuration ({publicUrl, clientId, …}, or configFromEnv())"],
  store: [
    withMethods("tenant", "migrate", "close"),
    "an AppStore (sqliteStore({file}) or postgresStore({url}))",
  ],
  page: [fn, "a frame handler: (ctx) => Response"],
  placements: [handlersByName, "frame handlers by placement code: {CRM_DEAL_DETAIL_TAB: (ctx) => …}"],
  fieldTypes: [
    z.record(z.string(), withMethods("view")),
    "handlers by field type code: {deal_health: {view: (ctx) => …, edit?: (ctx) => …}}",
  ],
  api: [handlersByName, "handlers by name: {summary: (ctx, body) => …}"],
  events: [handlersByName, "handlers by event name: {ONCRMDEALADD: (ctx) => …}"],
  bots: [z.record(z.string(), z.custom(isObject)), "handlers by bot code: {helper: {onCommand: …}}"],
  robots: [handlersByName, "handlers by robot code: {score_deal: (ctx) => …}"],
  queue: [
    withMethods("enqueue", "consume", "stats", "ping", "close"),
    "a job queue (sqliteJobQueue({file}) or bullmqJobQueue({…}))",
  ],
  workers: [z.number().int().min(0).max(1000), "a whole number from 0 (none in this process) to 1000"],
  authConnector: [z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), "1–64 letters, digits, _ . or -"],
  offlineDrainIntervalMs: [
    milliseconds.refine((ms) => ms === 0 || ms >= 1000),
    "0 (drain on the portal's nudge only) or at least 1000 ms",
  ],
  maxLimitWaitMs: [milliseconds, "milliseconds from 0"],
  refreshLock: [withMethods("withLock"), "a refresh lock (redisRefreshLock(redis) or pgRefreshLock(pool))"],
  fetch: [fn, "a fetch function"],
  clock: [withMethods("now"), "a clock with now() in unix ms"],
  logger: [withMethods("debug", "info", "warn"), "a logger with debug, info and warn (createLogger())"],
  auditRetention: [z.boolean(), "true or false"],
  migrate: [z.boolean(), "true or false"],
  console: [
    z
      .object({ operators: z.array(z.custom(isObject)), failureDelayMs: milliseconds })
      .partial()
      .strict(),
    "{operators?: [{name, passwordHash}], failureDelayMs?}",
  ],
};

const optionsSchema = z
  .object(Object.fromEntries(Object.entries(RULES).map(([key, [schema]]) => [key, schema.optional()])))
  .strict();

const REQUIRED = ["manifest", "config", "store"] as const;

function shown(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (isObject(value) && value.constructor && value.constructor !== Object)
    return `a ${value.constructor.name}`;
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return String(value);
  }
}

/** Throws one AppError (APP_OPTIONS_INVALID) naming every problem; returns when the options are usable. */
export function checkCreateAppOptions(options: CreateAppOptions): void {
  if (!isObject(options))
    throw invalid([`the options must be an object ({manifest, config, store, …}), got ${shown(options)}`]);
  const problems: string[] = REQUIRED.filter((key) => options[key] === undefined).map(
    (key) => `${key} is required: ${RULES[key][1]}`,
  );
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const inner = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
        const names = issue.keys.map((key) => inner + key).join(", ");
        const known = inner
          ? `${String(issue.path[0])} must be ${RULES[issue.path[0] as keyof CreateAppOptions]?.[1]}`
          : `known: ${Object.keys(RULES).join(", ")}`;
        problems.push(`unknown option${issue.keys.length > 1 ? "s" : ""} ${names} (${known})`);
        continue;
      }
      const key = String(issue.path[0]) as keyof CreateAppOptions;
      const given = (options as Record<string, unknown>)[key];
      const line = `${key} must be ${RULES[key]?.[1] ?? issue.message}, got ${shown(given)}`;
      if (!problems.includes(line)) problems.push(line);
    }
  if (problems.length > 0) throw invalid(problems);
}

function invalid(problems: string[]): AppError {
  return new AppError("APP_OPTIONS_INVALID", 500, `createApp: ${problems.join("; ")}`);
}
