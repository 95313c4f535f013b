import type { DestinationStream } from "pino";

/** Fields every line has, shown in the line's head rather than as `key=value`. */
const HEAD_FIELDS = new Set(["level", "time", "msg", "pid", "hostname", "member_id", "correlation_id"]);

function value(v: unknown): string {
  if (typeof v === "string") return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino JSON line as a developer reads it:
 * `12:00:01.250 WARN  [member correlation] message key=value …`.
 * Lines arrive already redacted (the logger scrubs them before any stream).
 */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  const time = typeof entry.time === "number" ? new Date(entry.time).toISOString().slice(11, 23) : "";
  const level = String(entry.level ?? "")
    .toUpperCase()
    .padEnd(5);
  const context = [entry.member_id, entry.correlation_id].filter((v) => typeof v === "string").join(" ");
  const rest = Object.entries(entry)
    .filter(([k]) => !HEAD_FIELDS.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  const parts = [time, level, context ? `[${context}]` : "", String(entry.msg ?? ""), ...rest];
  return `${parts.filter(Boolean).join(" ")}\n`;
}

/** A pino destination that writes `prettyLine`s to `out` (no worker thread, no extra dependency). */
export function prettyStream(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      out.write(prettyLine(line));
    },
  };
}
