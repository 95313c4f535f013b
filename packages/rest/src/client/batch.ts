import { encodeForm, type FormObject } from "../encoding/php-form.js";
import { B24BatchCommandError, B24Error } from "../errors/b24-error.js";
import { isRepeatable } from "../retry/repeat-safety.js";
import { referencedNames, substituteReferences } from "./batch-reference.js";
import type { MethodCaller } from "./envelope.js";

export type BatchCommand =
  | readonly [method: string, params?: Record<string, unknown>]
  | { method: string; params?: Record<string, unknown> };

/** Positional (array) or named (object) commands, any number of them. */
export type BatchInput = readonly BatchCommand[] | Record<string, BatchCommand>;

export interface BatchOptions {
  /** Stop at the first failing command (later ones do not run). */
  halt?: boolean;
  /** Run chunks of 50 concurrently (default) when no command refers to another chunk. */
  parallel?: boolean;
  /** Override the repeat-safety of the whole batch (default: all commands repeatable). */
  repeatable?: boolean;
  signal?: AbortSignal;
  /**
   * Bounds each chunk's request (see `CallOptions`): the commands of a refused chunk fail with
   * LIMIT_WAIT_EXCEEDED and its `retryAfterMs`; other chunks' results are kept.
   */
  maxLimitWaitMs?: number;
}

export interface BatchResult {
  /** Results by command name ("0", "1", … for positional input). */
  results: Record<string, unknown>;
  /** Failed commands; each error names its command. */
  errors: Record<string, B24BatchCommandError>;
  totals: Record<string, number>;
  nexts: Record<string, number>;
  /** Commands that never ran (halt). */
  skipped: string[];
  ok: boolean;
  /** The result of one command; throws that command's error if it failed. */
  get<T = unknown>(name: string | number): T;
}

export const BATCH_LIMIT = 50;

interface Normalized {
  name: string;
  method: string;
  params: Record<string, unknown>;
}

function normalize(input: BatchInput): Normalized[] {
  const entries: Array<[string, BatchCommand]> = Array.isArray(input)
    ? input.map((c, i) => [String(i), c] as [string, BatchCommand])
    : Object.entries(input as Record<string, BatchCommand>);
  return entries.map(([name, c]) => {
    const [method, params] = Array.isArray(c)
      ? [c[0], c[1]]
      : [(c as { method: string }).method, (c as { params?: Record<string, unknown> }).params];
    return { name, method, params: params ?? {} };
  });
}

function entriesOf(map: unknown): Array<[string, unknown]> {
  if (Array.isArray(map)) return map.map((v, i) => [String(i), v]);
  if (map && typeof map === "object") return Object.entries(map);
  return [];
}

function commandError(name: string, method: string, raw: unknown): B24BatchCommandError {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const code = typeof raw === "string" ? raw : typeof r.error === "string" ? r.error : "";
  const description = typeof r.error_description === "string" ? r.error_description : "";
  return new B24BatchCommandError(name, { code, status: 200, description, method });
}

/**
 * `batch` without its limits showing: any number of named or positional
 * commands, chunked by 50. Chunks run in parallel (each waits for its slot in
 * the rate limit) unless a command refers to a result from another chunk or
 * `halt` is set; then they run in order and cross-chunk references are filled
 * in here with the portal's rules.
 */
export async function runBatch(
  client: MethodCaller,
  input: BatchInput,
  options: BatchOptions = {},
): Promise<BatchResult> {
  const commands = normalize(input);
  const chunks: Normalized[][] = [];
  for (let i = 0; i < commands.length; i += BATCH_LIMIT) chunks.push(commands.slice(i, i + BATCH_LIMIT));
  const chunkOf = new Map(commands.map((c, i) => [c.name, Math.floor(i / BATCH_LIMIT)]));
  const crossChunk = commands.some((c, i) =>
    [...referencedNames(c.params)].some(
      (n) => (chunkOf.get(n) ?? Math.floor(i / BATCH_LIMIT)) !== Math.floor(i / BATCH_LIMIT),
    ),
  );
  const sequential = options.halt || crossChunk || options.parallel === false;

  const out: BatchResult = {
    results: {},
    errors: {},
    totals: {},
    nexts: {},
    skipped: [],
    ok: true,
    get<T>(name: string | number): T {
      const key = String(name);
      const error = out.errors[key];
      if (error) throw error;
      if (!(key in out.results)) throw new Error(`batch has no result for command "${key}"`);
      return out.results[key] as T;
    },
  };

  const runChunk = async (chunk: Normalized[]): Promise<void> => {
    const cmd: Record<string, string> = {};
    for (const c of chunk) {
      const params = sequential
        ? (substituteReferences(c.params, out.results) as FormObject)
        : (c.params as FormObject);
      const query = encodeForm(params);
      cmd[c.name] = query ? `${c.method}?${query}` : c.method;
    }
    const repeatable = options.repeatable ?? chunk.every((c) => isRepeatable(c.method));
    const answer = await client.call<Record<string, unknown>>(
      "batch",
      { halt: options.halt ? 1 : 0, cmd },
      {
        repeatable,
        ...(options.signal ? { signal: options.signal } : {}),
        maxLimitWaitMs: options.maxLimitWaitMs,
      },
    );
    const r = answer.result ?? {};
    const byName = new Map(chunk.map((c) => [c.name, c]));
    for (const [name, value] of entriesOf(r.result)) out.results[name] = value;
    for (const [name, raw] of entriesOf(r.result_error)) {
      out.errors[name] = commandError(name, byName.get(name)?.method ?? "", raw);
      out.ok = false;
    }
    for (const [name, v] of entriesOf(r.result_total)) out.totals[name] = Number(v);
    for (const [name, v] of entriesOf(r.result_next)) out.nexts[name] = Number(v);
    for (const c of chunk) if (!(c.name in out.results) && !(c.name in out.errors)) out.skipped.push(c.name);
  };

  /** A whole chunk failed (network, auth, …): each of its commands carries that error. */
  const chunkFailed = (chunk: Normalized[], reason: unknown): void => {
    const cause = reason instanceof B24Error ? reason : undefined;
    for (const c of chunk) {
      out.errors[c.name] = new B24BatchCommandError(c.name, {
        code: cause?.code ?? "BATCH_REQUEST_FAILED",
        status: cause?.status ?? 0,
        description: `the batch request carrying this command failed${cause?.mayHaveReachedPortal === false ? " before reaching the portal" : "; the command may have run"}`,
        method: c.method,
        kind: cause?.kind ?? "transport",
        mayHaveReachedPortal: cause?.mayHaveReachedPortal ?? true,
        // A chunk refused for maxLimitWaitMs: its commands say when they could go.
        ...(cause?.retryAfterMs !== undefined ? { retryAfterMs: cause.retryAfterMs } : {}),
        cause: reason,
      });
    }
    out.ok = false;
  };

  if (sequential) {
    for (const [i, chunk] of chunks.entries()) {
      if (!out.ok && (options.halt || crossChunk)) {
        for (const c of chunks.slice(i).flat()) out.skipped.push(c.name);
        break;
      }
      try {
        await runChunk(chunk);
      } catch (reason) {
        if ((reason as Error)?.name === "AbortError" || options.signal?.aborted) throw reason;
        chunkFailed(chunk, reason);
      }
    }
  } else {
    // allSettled: one failed chunk must not hide what the others did (their writes happened).
    const settled = await Promise.allSettled(chunks.map(runChunk));
    if (options.signal?.aborted) throw options.signal.reason;
    for (const [i, r] of settled.entries()) if (r.status === "rejected") chunkFailed(chunks[i]!, r.reason);
  }
  return out;
}
