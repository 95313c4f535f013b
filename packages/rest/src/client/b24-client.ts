import type { AuthStrategy } from "../auth/auth-strategy.js";
import { needsAppContext } from "../errors/app-context.js";
import { B24Error } from "../errors/b24-error.js";
import type { ClientHooks } from "../hooks/client-hooks.js";
import { OperatingBudget } from "../limits/operating-budget.js";
import { limitsForLicense, RateLimiter } from "../limits/rate-limiter.js";
import { authStep } from "../pipeline/auth-step.js";
import { concurrencyGate } from "../pipeline/concurrency-gate.js";
import { observeStep, reportPortalState } from "../pipeline/observe-step.js";
import { compose, newCall, type Send } from "../pipeline/rest-call.js";
import { retryStep } from "../pipeline/retry-step.js";
import { budgetWaitOf, throttleStep } from "../pipeline/throttle-step.js";
import { httpTransport } from "../pipeline/transport.js";
import { isRepeatable } from "../retry/repeat-safety.js";
import { DEFAULT_RETRY } from "../retry/retry-options.js";
import { type Clock, realClock } from "../time/clock.js";
import { type BatchInput, type BatchOptions, type BatchResult, runBatch } from "./batch.js";
import { type B24ClientOptions, checkClientOptions } from "./client-options.js";
import type { CallOptions, CallResult, MethodCaller } from "./envelope.js";
import { type FastListOptions, fastList } from "./fast-list.js";
import { type ListOptions, listRows } from "./list.js";

export type { B24ClientOptions } from "./client-options.js";

const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * The REST client: a small core around one request pipeline (Octokit's shape):
 *
 *   observe → retry → gate → auth → throttle → transport
 *
 * observe reports every call (audit, portal states); retry is the one place
 * that sends a failed call again; the gate bounds calls in flight; auth puts
 * credentials on each request, renews them and confirms domain moves;
 * throttle waits for the operating budget and the request bucket; transport
 * makes one HTTP request. Each step is one file under `pipeline/`.
 */
export class B24Client implements MethodCaller {
  readonly auth: AuthStrategy;
  readonly limiter: RateLimiter | undefined;
  readonly operating: OperatingBudget;
  readonly clock: Clock;
  readonly #hooks: ClientHooks;
  readonly #send: Send;
  readonly #maxLimitWaitMs: number;
  /** REST 3.0 (`/rest/api/…`): the same credentials, limits, retries and hooks, its own envelopes. */
  readonly v3: V3Caller;

  constructor(options: B24ClientOptions) {
    checkClientOptions(options);
    this.auth = options.auth;
    this.clock = options.clock ?? realClock;
    this.#hooks = options;
    this.#maxLimitWaitMs = options.maxLimitWaitMs ?? Number.POSITIVE_INFINITY;
    this.limiter = options.limits === false ? undefined : new RateLimiter(options.limits ?? {}, this.clock);
    this.operating = new OperatingBudget(
      options.operatingLimitSeconds ?? 480,
      options.operatingReserveSeconds ?? 5,
      this.clock,
    );
    const transport = httpTransport({
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAnswerBytes: options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
      clock: this.clock,
    });
    this.#send = compose(
      [
        observeStep(this.clock, options),
        retryStep({ ...DEFAULT_RETRY, ...options.retry }, this.clock, options, (call) =>
          budgetWaitOf(this.operating, call),
        ),
        concurrencyGate(Math.max(1, options.maxConcurrentRequests ?? 8)),
        authStep(this.auth, options),
        throttleStep(this.limiter, this.operating, this.clock, options),
      ],
      transport,
    );
    this.v3 = {
      call: async <T = unknown>(
        method: string,
        params: Record<string, unknown> = {},
        options: V3CallOptions = {},
      ) => {
        const key = options.idempotencyKey;
        const call = newCall({
          method,
          params,
          api: "v3",
          headers: key ? { "Idempotency-Key": key } : {},
          // With an Idempotency-Key the portal runs a write once however often it is sent (rest-v3.md).
          repeatable: options.repeatable ?? (key ? true : isRepeatable(method)),
          signal: options.signal,
          portal: this.auth.portalKey,
          maxLimitWaitMs: options.maxLimitWaitMs ?? this.#maxLimitWaitMs,
        });
        return (await this.#send(call)) as V3Result<T>;
      },
    };
  }

  async call<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const call = newCall({
      method,
      params,
      repeatable: options.repeatable ?? isRepeatable(method),
      signal: options.signal,
      portal: this.auth.portalKey,
      maxLimitWaitMs: options.maxLimitWaitMs ?? this.#maxLimitWaitMs,
    });
    return (await this.#send(call)) as CallResult<T>;
  }

  /** Any number of commands; chunks of 50 run in parallel within the limiter (see runBatch). */
  async batch(commands: BatchInput, options: BatchOptions = {}): Promise<BatchResult> {
    const result = await runBatch(this, commands, options);
    // A command's missing method says something about the portal (a module off, a plan without it).
    for (const error of Object.values(result.errors)) {
      // Errors with a cause are whole failed requests, already reported by the call that carried them.
      if (error.cause === undefined)
        reportPortalState(this.#hooks, this.auth.portalKey, error.method ?? "batch", error);
    }
    return result;
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

  /**
   * Sets the bucket from the portal's plan. The plan comes from `app.info`, which answers only an app
   * (oauthAuth or frameAuth with an installed app's tokens): through a webhook it fails, saying so.
   */
  async learnPlan(): Promise<{ burst: number; drainPerSecond: number }> {
    const info = (
      await this.call<Record<string, unknown>>("app.info").catch((error: unknown) => {
        throw learnPlanError(error);
      })
    ).result;
    const limits = limitsForLicense(info.LICENSE, info.LICENSE_FAMILY);
    this.limiter?.setLimits(limits);
    return limits;
  }
}

/** A webhook's refusal of app.info, told as what it means for learnPlan(). */
function learnPlanError(error: unknown): unknown {
  if (!(error instanceof B24Error) || !needsAppContext(error.code, error.description)) return error;
  return new B24Error({
    code: error.code,
    status: error.status,
    description: error.description,
    ...(error.method ? { method: error.method } : {}),
    kind: error.kind,
    retryable: error.retryable,
    mayHaveReachedPortal: error.mayHaveReachedPortal,
    hint:
      "learnPlan() reads the plan from app.info, which answers only an app (oauthAuth or frameAuth with an installed app's tokens); " +
      "with a webhook, give the limits yourself: limits: STANDARD_LIMITS, or ENTERPRISE_LIMITS on Enterprise plans",
    cause: error,
  });
}

/** A REST 3.0 answer: `result` holds `item`, `items` or `result` (api-reference/rest-v3.md). */
export interface V3Result<T = unknown> {
  result: T;
  time?: Record<string, unknown>;
}

export interface V3CallOptions extends CallOptions {
  /**
   * REST 3.0's Idempotency-Key (1–255 printable ASCII, e.g. a UUID): the portal runs the write once and
   * answers repeats from its record, so the call is retried like a read.
   */
  idempotencyKey?: string;
}

export interface V3Caller {
  call<T = unknown>(
    method: string,
    params?: Record<string, unknown>,
    options?: V3CallOptions,
  ): Promise<V3Result<T>>;
}

export function createB24Client(options: B24ClientOptions): B24Client {
  return new B24Client(options);
}
