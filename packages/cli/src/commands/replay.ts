import { REDACTED, scrubText } from "@b24kit/app";
import type { Command } from "commander";
import { type ReplayOverrides, readReplayPayload } from "./replay-payload.js";

interface ReplayOptions {
  url?: string;
  memberId?: string;
  applicationToken?: string;
  ts?: string;
}

/** What the command needs from outside; tests and embedders pass their own. */
export interface ReplayCommandDeps {
  out?: { write(text: string): unknown };
  err?: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
  /** Wall-clock unix ms, for `--ts now`. */
  now?: () => number;
}

export const DEFAULT_REPLAY_URL = "http://127.0.0.1:3000/b24/events";
/** The most of the app's answer printed; a debugging aid, not a download. */
const MAX_ANSWER_CHARS = 16_384;
const TIMEOUT_MS = 30_000;

/**
 * `--url`: the app's event URL as given, or, for a URL ending in `/`, the app's
 * base URL with `b24/events` (the route the runtime binds events to) added.
 */
export function replayUrl(value: string, name = "--url"): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name}: not a URL: "${value}" (e.g. ${DEFAULT_REPLAY_URL})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`${name} must be http:// or https://, got "${url.protocol}"`);
  if (url.pathname.endsWith("/")) url.pathname = `${url.pathname}b24/events`;
  return url;
}

function memberId(value: string): string {
  if (!/^[0-9a-z_-]{8,64}$/i.test(value))
    throw new Error(`--member-id must be the portal's member_id (8..64 letters, digits, _ or -)`);
  return value;
}

function applicationToken(value: string): string {
  if (!/^[\x21-\x7e]{1,256}$/.test(value))
    throw new Error("--application-token must be 1..256 printable characters without spaces");
  return value;
}

function ts(value: string, now: () => number): number {
  if (value === "now") return Math.floor(now() / 1000);
  if (/^\d{1,12}$/.test(value)) return Number(value);
  throw new Error(`--ts must be "now" or unix seconds, got "${value}"`);
}

/**
 * `b24kit replay FILE`: posts a saved event (docs/protocol.md §7.5) to a running
 * app again, for debugging a handler. Prints the app's status and answer;
 * fails on anything but 2xx. Tokens never reach the output: the answer is
 * scrubbed, and every token value the payload carries is blanked in it.
 */
export function registerReplayCommand(program: Command, deps: ReplayCommandDeps = {}): void {
  const out = deps.out ?? process.stdout;
  const err = deps.err ?? process.stderr;
  const env = deps.env ?? process.env;
  const now = deps.now ?? Date.now;
  program
    .command("replay")
    .description("post a saved event payload (form body or JSON) to a running app")
    .argument("<file>", "the payload: the raw form body as the portal sent it, or a JSON object")
    .option(
      "--url <url>",
      `the app's event URL, or its base URL ending in / (default: $B24KIT_APP_URL or ${DEFAULT_REPLAY_URL})`,
    )
    .option("--member-id <id>", "send as this portal (auth[member_id]), e.g. a local tenant")
    .option("--application-token <token>", "sign with this installation's auth[application_token]")
    .option("--ts <now|seconds>", 'set ts: "now" or unix seconds')
    .action(async (file: string, opts: ReplayOptions) => {
      const url =
        opts.url !== undefined
          ? replayUrl(opts.url)
          : replayUrl(env.B24KIT_APP_URL || DEFAULT_REPLAY_URL, "B24KIT_APP_URL");
      const overrides: ReplayOverrides = {
        ...(opts.memberId !== undefined ? { memberId: memberId(opts.memberId) } : {}),
        ...(opts.applicationToken !== undefined
          ? { applicationToken: applicationToken(opts.applicationToken) }
          : {}),
        ...(opts.ts !== undefined ? { ts: ts(opts.ts, now) } : {}),
      };
      const payload = await readReplayPayload(file, overrides);
      const hide = (text: string) =>
        scrubText(payload.secrets.reduce((t, secret) => t.split(secret).join(REDACTED), text));
      const target = `${url.origin}${url.pathname}`;
      err.write(
        `POST ${target}: ${payload.event || "(no event)"} for ${payload.memberId || "(no member_id)"}, ` +
          `${payload.body.byteLength} bytes (${payload.source === "json" ? "encoded from JSON" : "form as saved"})\n`,
      );
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: payload.body,
          redirect: "manual",
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new Error(`could not reach ${target}: ${hide(String(reason))}`);
      }
      const answer = await response.text();
      const shown = answer.length > MAX_ANSWER_CHARS ? `${answer.slice(0, MAX_ANSWER_CHARS)}…[cut]` : answer;
      out.write(`HTTP ${response.status} ${hide(response.statusText)}\n`);
      if (shown) out.write(`${hide(shown)}\n`);
      if (response.status < 200 || response.status > 299)
        throw new Error(`the app answered ${response.status}`);
    });
}
