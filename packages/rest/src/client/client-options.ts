import type { AuthStrategy } from "../auth/auth-strategy.js";
import { B24Error } from "../errors/b24-error.js";
import type { ClientHooks } from "../hooks/client-hooks.js";
import type { RateLimitOptions } from "../limits/rate-limiter.js";
import type { RetryOptions } from "../retry/retry-options.js";
import type { Clock } from "../time/clock.js";
import type { FetchLike } from "../wire/fetch-like.js";

export interface B24ClientOptions extends ClientHooks {
  /** Who calls and where: `webhookAuth`, `oauthAuth` or `frameAuth`. */
  auth: AuthStrategy;
  fetch?: FetchLike;
  /** Per request, the answer's body included; below the portal's own 60 s limit. Default 30 s. */
  timeoutMs?: number;
  /** Larger answers fail with ANSWER_TOO_LARGE instead of filling memory. Default 64 MiB. */
  maxAnswerBytes?: number;
  /** Calls of this client in flight at once (batch chunks and fastList ranges included). Default 8. */
  maxConcurrentRequests?: number;
  /** The portal's leaky bucket, mirrored; `false` turns the bucket off (the operating budget stays). */
  limits?: RateLimitOptions | false;
  /** Operating-time budget per method and 10 minutes, seconds (default 480). */
  operatingLimitSeconds?: number;
  /** Stop this many seconds short of that budget (default 5). */
  operatingReserveSeconds?: number;
  retry?: Partial<RetryOptions>;
  /**
   * The longest a call may wait because of limits: operating-budget and bucket-slot waits and the
   * pauses before re-sending limit refusals, summed per call. A wait that would pass it is not
   * started: the call fails at once with LIMIT_WAIT_EXCEEDED, whose `retryAfterMs` says when it
   * could go (a background worker postpones its job by that much). Default: no bound.
   */
  maxLimitWaitMs?: number;
  /** Time for the limiter, the operating budget, backoff and timeouts (`FakeClock` in tests). */
  clock?: Clock;
}

/**
 * `createB24Client`'s options, checked where they come in. A wrong value would
 * otherwise fail late and far from its cause (a NaN timeout aborting every
 * call at once, a bucket store passed as `limits` limiting nothing), and a
 * misspelt key from JavaScript would be ignored. This package has no
 * dependencies (it runs in the browser too), hence plain checks, not a schema.
 */

type Rule = [check: (value: unknown) => boolean, allowed: string];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isFunction = (v: unknown) => typeof v === "function";
const number = (test: (n: number) => boolean) => (v: unknown) =>
  typeof v === "number" && !Number.isNaN(v) && test(v);
const positiveMs = number((n) => n > 0 && Number.isFinite(n));
const fromZero = number((n) => n >= 0 && Number.isFinite(n));
const wholeFrom = (min: number) => number((n) => Number.isInteger(n) && n >= min);
const hasMethods =
  (...names: string[]) =>
  (v: unknown) =>
    isObject(v) && names.every((name) => isFunction(v[name]));

const HOOK: Rule = [isFunction, "a function"];

const LIMIT_RULES: Record<string, Rule> = {
  burst: [wholeFrom(1), "a whole number of requests from 1 (50, or 250 on Enterprise)"],
  drainPerSecond: [
    number((n) => n > 0 && Number.isFinite(n)),
    "requests per second above 0 (2, or 5 on Enterprise)",
  ],
  store: [
    hasMethods("reserve", "release", "fill"),
    "a bucket store (reserve, release, fill), e.g. new RedisBucketStore(redis)",
  ],
  jitterAllowanceMs: [fromZero, "milliseconds from 0"],
  marginRequests: [fromZero, "requests from 0"],
  marginRate: [number((n) => n >= 0 && n < 1), "a fraction from 0 to below 1 (0.01 = 1 % slower)"],
};

const RETRY_RULES: Record<string, Rule> = {
  maxAttempts: [wholeFrom(1), "a whole number of attempts from 1 (1 = never repeat)"],
  baseDelayMs: [fromZero, "milliseconds from 0"],
  maxDelayMs: [fromZero, "milliseconds from 0"],
  limitWaitMs: [fromZero, "milliseconds from 0"],
};

const RULES: { [K in keyof B24ClientOptions]-?: Rule } = {
  auth: [
    (v) => hasMethods("current", "renew")(v) && typeof (v as { portalKey?: unknown }).portalKey === "string",
    "an auth strategy: webhookAuth(url), oauthAuth({…}) or frameAuth({…})",
  ],
  fetch: [isFunction, "a fetch function"],
  timeoutMs: [positiveMs, "milliseconds above 0 (default 30000)"],
  maxAnswerBytes: [wholeFrom(1), "a whole number of bytes from 1"],
  maxConcurrentRequests: [wholeFrom(1), "a whole number from 1 (default 8)"],
  limits: [(v) => v === false || isObject(v), "false or {burst?, drainPerSecond?, store?, …}"],
  operatingLimitSeconds: [number((n) => n > 0 && Number.isFinite(n)), "seconds above 0 (default 480)"],
  operatingReserveSeconds: [fromZero, "seconds from 0 (default 5)"],
  retry: [isObject, "{maxAttempts?, baseDelayMs?, maxDelayMs?, limitWaitMs?}"],
  maxLimitWaitMs: [number((n) => n >= 0), "milliseconds from 0 (Infinity: no bound)"],
  clock: [hasMethods("now", "sleep"), "a clock with now() and sleep(ms, signal)"],
  onAudit: HOOK,
  onRateLimit: HOOK,
  onRetry: HOOK,
  onRenewal: HOOK,
  onPortalState: HOOK,
  onDomainMoved: HOOK,
};

function shown(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (isObject(value) && value.constructor && value.constructor !== Object)
    return `a ${value.constructor.name}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The problems of one options object against its rules; undefined values count as absent. */
function problemsOf(value: Record<string, unknown>, rules: Record<string, Rule>, prefix: string): string[] {
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((key) => !(key in rules));
  if (unknown.length > 0)
    problems.push(
      `unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => prefix + k).join(", ")} (known: ${Object.keys(rules).join(", ")})`,
    );
  for (const [key, [check, allowed]] of Object.entries(rules)) {
    const given = value[key];
    if (given !== undefined && !check(given))
      problems.push(`${prefix}${key} must be ${allowed}, got ${shown(given)}`);
  }
  return problems;
}

/** Throws one B24Error (code INVALID_CLIENT_OPTIONS) naming every problem; returns when the options are usable. */
export function checkClientOptions(options: B24ClientOptions): void {
  if (!isObject(options)) throw invalid([`the options must be an object ({auth, …}), got ${shown(options)}`]);
  const problems = problemsOf(options, RULES, "");
  if (options.auth === undefined) problems.unshift(`auth is required: ${RULES.auth[1]}`);
  const { limits, retry } = options as Record<string, unknown>;
  if (isObject(limits)) {
    // A bucket store given as the limits themselves would limit nothing: say where it goes.
    if (hasMethods("reserve", "release", "fill")(limits))
      problems.push(
        "limits must be {burst?, drainPerSecond?, store?, …}: a bucket store goes in limits.store",
      );
    else problems.push(...problemsOf(limits, LIMIT_RULES, "limits."));
  }
  if (isObject(retry)) problems.push(...problemsOf(retry, RETRY_RULES, "retry."));
  const limit = options.operatingLimitSeconds ?? 480;
  const reserve = options.operatingReserveSeconds ?? 5;
  if (typeof limit === "number" && typeof reserve === "number" && reserve >= limit)
    problems.push(
      `operatingReserveSeconds (${reserve}) must be below operatingLimitSeconds (${limit}), or every call after a method's first waits for its reset`,
    );
  if (problems.length > 0) throw invalid(problems);
}

function invalid(problems: string[]): B24Error {
  return new B24Error({
    code: "INVALID_CLIENT_OPTIONS",
    status: 0,
    kind: "usage",
    mayHaveReachedPortal: false,
    description: `createB24Client: ${problems.join("; ")}`,
  });
}
