import { type DestinationStream, type Level, type Logger, pino } from "pino";
import { prettyStream } from "./pretty-stream.js";
import { REDACTED, redactSecrets, SECRET_FIELD_NAMES, scrubText } from "./secret-redaction.js";

export interface LoggerOptions {
  /** `info` unless told; `silent` turns logging off. */
  level?: Level | "silent";
  /** Human-readable lines (development) instead of JSON lines; same redaction. */
  pretty?: boolean;
  /** Where lines go: a stream, a file path, or a file descriptor (stdout unless told). */
  destination?: DestinationStream | string | number;
  /** Fields on every line (`{ service: "deal-insights" }`). */
  bindings?: Record<string, unknown>;
}

/** The field names every line about a tenant or a request carries. */
export const LOG_FIELDS = { memberId: "member_id", correlationId: "correlation_id" } as const;

/**
 * pino's redact paths: each secret name at the top level and one or two levels
 * down (`auth.access_token`, `req.headers.authorization`). Deeper secrets are
 * caught by the line scrub below.
 */
function redactPaths(): string[] {
  const quoted = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`);
  const join = (prefix: string, name: string) =>
    quoted(name).startsWith("[") ? `${prefix}${quoted(name)}` : `${prefix}.${name}`;
  return SECRET_FIELD_NAMES.flatMap((name) => [quoted(name), join("*", name), join("*.*", name)]);
}

/** Cheap test for lines that could hold a secret: only those are parsed and scrubbed. */
const SUSPECT =
  /token|secret|auth|refresh_id|passw|api[-_]?key|code|client_id|cookie|session|sig|sid|hmac|key|bearer|basic|\/rest\/|=/i;

/**
 * The last line of defence, on the finished JSON line: every secret-named
 * field at any depth (pino's paths only reach fixed depths), credentials
 * inside strings (URLs with `auth=`, webhook codes, form bodies quoted in an
 * error message), and the same inside child-logger bindings, which pino
 * serialises without passing them through `redact`.
 */
export function scrubLogLine(line: string): string {
  if (!SUSPECT.test(line)) return line;
  const newline = line.endsWith("\n") ? "\n" : "";
  try {
    return `${JSON.stringify(redactSecrets(JSON.parse(line)))}${newline}`;
  } catch {
    return scrubText(line);
  }
}

/**
 * The runtime's pino logger: JSON lines (or pretty ones), level labels,
 * secrets redacted twice — pino's `redact` paths for the known field names,
 * then `scrubLogLine` over every finished line. Pass it to Fastify as
 * `loggerInstance` so request logs get the same treatment.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { destination } = options;
  const target: DestinationStream | undefined =
    typeof destination === "string" || typeof destination === "number"
      ? pino.destination({
          dest: destination,
          sync: true,
          ...(typeof destination === "string" ? { mkdir: true } : {}),
        })
      : destination;
  const stream = options.pretty ? prettyStream(target ?? process.stdout) : target;
  const settings = {
    level: options.level ?? "info",
    base: { pid: process.pid, ...options.bindings },
    redact: { paths: redactPaths(), censor: REDACTED },
    formatters: { level: (label: string) => ({ level: label }) },
    hooks: { streamWrite: scrubLogLine },
  };
  return stream ? pino(settings, stream) : pino(settings);
}

/** A child logger whose lines name the tenant and the request or job they belong to. */
export function contextLogger(
  logger: Logger,
  context: { memberId?: string | undefined; correlationId?: string | undefined },
): Logger {
  return logger.child({
    ...(context.memberId ? { [LOG_FIELDS.memberId]: context.memberId } : {}),
    ...(context.correlationId ? { [LOG_FIELDS.correlationId]: context.correlationId } : {}),
  });
}

export type { Logger };
