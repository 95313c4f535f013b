import type { AuditEvent } from "../audit/audit-event.js";
import { redact, redactUrl } from "../audit/audit-event.js";
import type { AuthContext, AuthStrategy } from "../auth/auth-strategy.js";
import { B24Error, errorFromBody } from "../errors/b24-error.js";
import { OperatingBudget } from "../limits/operating-budget.js";
import { limitsForLicense, RateLimiter, type RateLimitOptions, sleep } from "../limits/rate-limiter.js";
import { backoffMs, DEFAULT_RETRY, isRepeatable, type RetryOptions } from "../retry/retry-policy.js";
import { type FetchLike, postJson } from "../transport/http-transport.js";
import { type BatchInput, type BatchOptions, type BatchResult, runBatch } from "./batch.js";
import type { CallOptions, CallResult, MethodCaller } from "./envelope.js";
import { type FastListOptions, fastList } from "./fast-list.js";
import { type ListOptions, listRows } from "./list.js";

export interface B24ClientOptions {
  auth: AuthStrategy;
  fetch?: FetchLike;
  /** Per request; below the portal's own 60 s limit. Default 30 s. */
  timeoutMs?: number;
  /** The portal's leaky bucket, mirrored; `false` turns limiting off (tests, trusted callers). */
  limits?: RateLimitOptions | false;
  /** Operating-time budget per method and 10 minutes, seconds (default 480). */
  operatingLimitSeconds?: number;
  /** Stop this many seconds short of that budget (default 5). */
  operatingReserveSeconds?: number;
  retry?: Partial<RetryOptions>;
  /** Every call's outcome, with secrets redacted. */
  onAudit?: (event: AuditEvent) => void;
  /** The portal moved to another domain (302); requests already follow it. */
  onDomainMoved?: (event: { from: string; to: string }) => void;
}

const MAX_RENEWALS = 2;

/**
 * The REST client: every call waits for its slot in the portal's budget,
 * renews credentials when the portal says they expired, retries only what is
 * safe to repeat, and reports itself to the audit hook.
 */
export class B24Client implements MethodCaller {
  readonly auth: AuthStrategy;
  readonly limiter: RateLimiter | undefined;
  readonly operating: OperatingBudget;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #onAudit: ((event: AuditEvent) => void) | undefined;
  readonly #onDomainMoved: ((event: { from: string; to: string }) => void) | undefined;

  constructor(options: B24ClientOptions) {
    this.auth = options.auth;
    this.limiter = options.limits === false ? undefined : new RateLimiter(options.limits ?? {});
    this.operating = new OperatingBudget(
      options.operatingLimitSeconds ?? 480,
      options.operatingReserveSeconds ?? 5,
    );
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#onAudit = options.onAudit;
    this.#onDomainMoved = options.onDomainMoved;
  }

  call<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    return this.#send<T>(method, params, options);
  }

  /** Any number of commands; chunks of 50 run in parallel within the limiter (see runBatch). */
  batch(commands: BatchInput, options: BatchOptions = {}): Promise<BatchResult> {
    return runBatch(this, commands, options);
  }

  /** Every row of a list method, page by page (`start`/`next`), with early exit. */
  list<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    options: ListOptions = {},
  ): AsyncGenerator<T> {
    return listRows<T>(this, method, params, options);
  }

  /** Every row by ID cursor, 50 pages chained per batch: up to 2,500 rows per request. */
  fastList<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    options: FastListOptions = {},
  ): AsyncGenerator<T> {
    return fastList<T>(this, method, params, options);
  }

  /** Sets the bucket from the portal's plan (`app.info`; app context only). */
  async learnPlan(): Promise<{ burst: number; drainPerSecond: number }> {
    const info = (await this.call<Record<string, unknown>>("app.info")).result;
    const limits = limitsForLicense(info.LICENSE, info.LICENSE_FAMILY);
    this.limiter?.setLimits(limits);
    return limits;
  }

  async #send<T>(
    method: string,
    params: Record<string, unknown>,
    options: CallOptions,
  ): Promise<CallResult<T>> {
    const startedAt = new Date();
    const commands = method === "batch" ? Object.keys((params.cmd as object) ?? {}).length : undefined;
    const repeatable = options.repeatable ?? isRepeatable(method);
    let attempts = 0;
    let renewals = 0;
    let waitedMs = 0;
    let status = 0;
    const audit = (ok: boolean, code?: string) =>
      this.#onAudit?.({
        at: startedAt.toISOString(),
        portal: this.auth.portalKey,
        method,
        ok,
        status,
        ...(code !== undefined ? { code } : {}),
        durationMs: Date.now() - startedAt.getTime(),
        attempts,
        waitedMs,
        renewed: renewals > 0,
        params: redact(params),
        ...(commands !== undefined ? { commands } : {}),
      });

    let limitWaitedMs = 0;
    let limitRetries = 0;
    for (;;) {
      attempts += 1;
      const budgetWait = this.#budgetWait(method, params);
      if (budgetWait > 0) {
        await sleep(budgetWait, options.signal);
        waitedMs += budgetWait;
        limitWaitedMs += budgetWait;
      }
      if (this.limiter) waitedMs += await this.limiter.acquire(this.auth.portalKey, options.signal);
      let context: AuthContext | undefined;
      let sent = false;
      try {
        context = await this.auth.current();
        options.signal?.throwIfAborted();
        const body = context.accessToken ? { ...params, auth: context.accessToken } : params;
        let moved: [string, string] | undefined;
        sent = true;
        const answer = await postJson(this.#fetch, `${context.baseUrl}${method}`, body, {
          timeoutMs: this.#timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          onMoved: (from, to) => {
            moved = [from, to];
          },
        });
        if (moved) await this.#moved(moved[0], moved[1]);
        status = answer.status;
        const envelope = answer.body as CallResult<T> & { error?: unknown };
        if (
          status >= 200 &&
          status < 300 &&
          envelope &&
          typeof envelope === "object" &&
          envelope.error === undefined
        ) {
          this.operating.record(method, envelope.time);
          audit(true);
          return envelope;
        }
        throw errorFromBody(status, answer.body, method);
      } catch (caught) {
        // The caller gave up: no retry, no renewal, their reason as is.
        if (options.signal?.aborted) throw options.signal.reason ?? caught;
        let error = toB24Error(caught, method);
        // Whether the method itself may have run: not if we never sent it, not after a 401.
        let mayHaveRun = sent && error.mayHaveReachedPortal && error.kind !== "auth";
        const renewable = error.code === "expired_token" || error.code === "invalid_token";
        if (renewable && context && renewals < MAX_RENEWALS) {
          try {
            if (await this.#renew(context, error)) {
              renewals += 1;
              attempts -= 1;
              continue;
            }
          } catch (renewError) {
            // A transient failure at the token endpoint is retried like any other; nothing ran.
            error = toB24Error(renewError, method);
            mayHaveRun = false;
          }
        }
        if (error.kind === "limit") {
          // Limit errors are refusals before execution: always safe to repeat, bounded by time, not attempts.
          attempts -= 1;
          limitRetries += 1;
          if (limitWaitedMs >= this.#retry.limitWaitMs) {
            audit(false, error.code);
            throw error;
          }
          let delay = 0;
          if (error.code === "OPERATION_TIME_LIMIT") this.operating.blocked(method, 60_000);
          else {
            await this.limiter?.exceeded(this.auth.portalKey);
            delay = backoffMs(limitRetries, this.#retry);
          }
          await sleep(delay, options.signal);
          waitedMs += delay;
          limitWaitedMs += delay;
          continue;
        }
        if (attempts >= this.#retry.maxAttempts || !error.retryable || (mayHaveRun && !repeatable)) {
          audit(false, error.code);
          throw error;
        }
        const delay = backoffMs(attempts, this.#retry);
        await sleep(delay, options.signal);
        waitedMs += delay;
      }
    }
  }

  /** The operating-budget wait before a call; for a batch, that of its most exhausted command. */
  #budgetWait(method: string, params: Record<string, unknown>): number {
    if (method !== "batch") return this.operating.waitFor(method);
    let wait = 0;
    for (const command of Object.values((params.cmd as Record<string, unknown>) ?? {})) {
      const sub = String(command).split("?")[0] ?? "";
      wait = Math.max(wait, this.operating.waitFor(sub));
    }
    return wait;
  }

  async #renew(context: AuthContext, error: B24Error): Promise<boolean> {
    try {
      return await this.auth.renew(context, error);
    } catch (renewError) {
      throw toB24Error(renewError, "auth");
    }
  }

  async #moved(from: string, to: string): Promise<void> {
    await this.auth.moved?.(from, to);
    this.#onDomainMoved?.({ from: redactUrl(new URL(from).origin), to: redactUrl(new URL(to).origin) });
  }
}

function toB24Error(error: unknown, method: string): B24Error {
  if (error instanceof B24Error) return error;
  if ((error as Error)?.name === "AbortError") throw error;
  return new B24Error({
    code: "NETWORK_ERROR",
    status: 0,
    description: (error as Error)?.message ?? String(error),
    method,
    kind: "transport",
    cause: error,
  });
}

export function createB24Client(options: B24ClientOptions): B24Client {
  return new B24Client(options);
}
