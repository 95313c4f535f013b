import { B24Error } from "../errors/b24-error.js";
import { BATCH_LIMIT, runBatch } from "./batch.js";
import type { MethodCaller } from "./envelope.js";
import { NESTED_ITEMS, rowsOf } from "./list.js";
import { mergeAsync } from "./merge-async.js";

const PAGE = 50;

export interface FastListOptions {
  /** The id field in rows: "ID" for classic methods, "id" for crm.item.list / tasks.task.list. */
  idKey?: string;
  /** The id field in `filter` and `order` (tasks.task.list filters by "ID" but returns "id"). */
  filterIdKey?: string;
  /** Where rows are nested in `result` ("items", "tasks"). */
  itemsKey?: string;
  /**
   * Count the rows first (the first page asks with start=0). Knowing the total
   * sizes the last request exactly, so no request is spent on an empty page.
   * Default true; turn off for tables where a COUNT is too slow for the portal.
   */
  count?: boolean;
  /** Read this many ID ranges concurrently (each within the rate limit). Default 1. */
  parallel?: number;
  signal?: AbortSignal;
  /** Bounds each batch request (see `CallOptions`): the iteration throws LIMIT_WAIT_EXCEEDED. */
  maxLimitWaitMs?: number;
}

interface Shape {
  idKey: string;
  filterIdKey: string;
  itemsKey: string | undefined;
}

const PRESETS: Record<string, Partial<Shape>> = {
  "crm.item.list": { idKey: "id", filterIdKey: "id", itemsKey: "items" },
  "tasks.task.list": { idKey: "id", filterIdKey: "ID", itemsKey: "tasks" },
};

function usage(method: string, description: string): B24Error {
  return new B24Error({ code: "FASTLIST_USAGE", status: 0, kind: "usage", method, description });
}

function numericId(row: unknown, key: string): number {
  const v = row && typeof row === "object" ? (row as Record<string, unknown>)[key] : undefined;
  const n = typeof v === "number" ? v : Number.parseInt(String(v), 10);
  return Number.isFinite(n) ? n : Number.NaN;
}

interface Range {
  /** Rows with id > after. */
  after: number;
  /** …and id < before, when set. */
  before?: number;
}

/**
 * Reads a list by ID cursor (order by ID, `filter[>ID]`, `start=-1`: no
 * COUNT per page, docs/protocol.md §5), chaining 50 pages inside one batch through
 * `$result[pN][49][ID]` references: up to 2,500 rows per HTTP request.
 *
 * Correctness over cleverness: pages are taken in order and reading stops at
 * the first page with fewer than 50 rows (later commands in that batch refer
 * to a row that does not exist and their answers are discarded, whatever the
 * portal made of them); ids must rise strictly, so a duplicate can never be
 * yielded; a custom `order` is refused rather than silently losing rows.
 * With `count` the first page also returns the total, and reading stops once
 * every row that existed at the start has been read (rows always come in ID
 * order, so rows created meanwhile can only come after them).
 */
export async function* fastList<T>(
  client: MethodCaller,
  method: string,
  params: Record<string, unknown>,
  options: FastListOptions = {},
): AsyncGenerator<T> {
  const preset = PRESETS[method.toLowerCase()] ?? {};
  const idKey = options.idKey ?? preset.idKey ?? "ID";
  const shape: Shape = {
    idKey,
    filterIdKey: options.filterIdKey ?? preset.filterIdKey ?? idKey,
    itemsKey: options.itemsKey ?? preset.itemsKey ?? NESTED_ITEMS[method.toLowerCase()],
  };
  const fk = shape.filterIdKey;
  const { filter, order, start: _start, ...rest } = params;
  for (const [key, dir] of Object.entries((order as Record<string, unknown>) ?? {})) {
    if (key.toUpperCase() !== fk.toUpperCase() || String(dir).toUpperCase() !== "ASC") {
      throw usage(
        method,
        `fastList reads in ${fk} order only; order by ${key} would lose rows between pages — use list() for a custom order`,
      );
    }
  }
  const userFilter: Record<string, unknown> = { ...((filter as Record<string, unknown>) ?? {}) };
  let after = Number.NEGATIVE_INFINITY;
  for (const op of [">", ">="]) {
    const key = `${op}${fk}`;
    if (key in userFilter) {
      const n = Number(userFilter[key]);
      if (!Number.isFinite(n)) throw usage(method, `filter ${key} must be a number`);
      after = Math.max(after, op === ">" ? n : n - 1);
      delete userFilter[key];
    }
  }
  if (!Number.isFinite(after)) after = 0;
  const select = rest.select;
  if (
    Array.isArray(select) &&
    select.length > 0 &&
    !select.some((s) => s === "*" || String(s).toUpperCase() === idKey.toUpperCase())
  ) {
    // `select` speaks the filter's dialect (tasks.task.list selects "ID" but returns "id").
    rest.select = [...select, shape.filterIdKey];
  }
  const base = { ...rest, order: { [fk]: "ASC" } };
  const ctx = {
    client,
    method,
    shape,
    base,
    userFilter,
    count: options.count ?? true,
    // A count taken at the start stays true only if no row can start matching during the read:
    // with no filter but ID bounds, new matches can only be new rows, which come after all others.
    trustTotal: Object.keys(userFilter).every(
      (k) => k.replace(/^[<>=!@%]+/, "").toUpperCase() === fk.toUpperCase(),
    ),
    signal: options.signal,
    maxLimitWaitMs: options.maxLimitWaitMs,
  };

  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  if (parallel === 1) {
    yield* readRange<T>(ctx, { after });
    return;
  }
  const ranges = await splitRange(ctx, after, parallel);
  if (ranges.length === 0) return;
  yield* mergeAsync(ranges.map((r) => readRange<T>(ctx, r)));
}

interface Ctx {
  client: MethodCaller;
  method: string;
  shape: Shape;
  base: Record<string, unknown>;
  userFilter: Record<string, unknown>;
  count: boolean;
  trustTotal: boolean;
  signal: AbortSignal | undefined;
  maxLimitWaitMs: number | undefined;
}

function isOperatingLimit(error: B24Error): boolean {
  return error.code === "OPERATION_TIME_LIMIT";
}

async function* readRange<T>(ctx: Ctx, range: Range): AsyncGenerator<T> {
  const { shape } = ctx;
  const fk = shape.filterIdKey;
  const path = shape.itemsKey ? `[${shape.itemsKey}]` : "";
  let cursor = range.after;
  let remaining: number | undefined;
  let counted = false;
  for (;;) {
    // Without a trusted total, ask for one page more than the count promises: a row that started
    // matching meanwhile must not push an original one out of the last batch.
    const pages =
      remaining === undefined
        ? BATCH_LIMIT
        : Math.min(BATCH_LIMIT, Math.ceil((ctx.trustTotal ? remaining : remaining + 1) / PAGE));
    if (pages <= 0) return;
    const countNow = ctx.count && !counted;
    const cmd: Record<string, [string, Record<string, unknown>]> = {};
    for (let k = 0; k < pages; k++) {
      const filter: Record<string, unknown> = {
        ...ctx.userFilter,
        [`>${fk}`]: k === 0 ? cursor : `$result[p${k - 1}]${path}[${PAGE - 1}][${shape.idKey}]`,
      };
      if (range.before !== undefined) filter[`<${fk}`] = range.before;
      cmd[`p${k}`] = [ctx.method, { ...ctx.base, filter, start: countNow && k === 0 ? 0 : -1 }];
    }
    const batch = await runBatch(ctx.client, cmd, {
      halt: true,
      repeatable: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      maxLimitWaitMs: ctx.maxLimitWaitMs,
    });
    let blocked = false;
    for (let k = 0; k < pages; k++) {
      const name = `p${k}`;
      const error = batch.errors[name];
      if (error && isOperatingLimit(error)) {
        // The method ran out of operating time mid-read: wait for its budget, go on from the cursor.
        ctx.client.operating?.blocked(ctx.method, 60_000);
        blocked = true;
        break;
      }
      if (error) throw error;
      const rows = rowsOf(batch.results[name], shape.itemsKey);
      if (countNow && k === 0) {
        const total = Number(batch.totals[name]);
        if (Number.isFinite(total)) remaining = total;
        counted = true;
      }
      for (const row of rows) {
        const id = numericId(row, shape.idKey);
        if (!(id > cursor)) {
          throw usage(
            ctx.method,
            `ids must rise strictly (got ${id} after ${cursor}); is "${shape.idKey}" the id field of these rows?`,
          );
        }
        cursor = id;
        yield row as T;
      }
      if (remaining !== undefined) remaining -= rows.length;
      if (rows.length < PAGE || (ctx.trustTotal && remaining !== undefined && remaining <= 0)) return;
    }
    if (blocked && !ctx.client.operating) throw batch.errors[Object.keys(batch.errors)[0]!]!;
  }
}

/** Lowest and highest id in one request, split into `parts` ranges of similar id span. */
async function splitRange(ctx: Ctx, after: number, parts: number): Promise<Range[]> {
  const fk = ctx.shape.filterIdKey;
  const probe = (dir: "ASC" | "DESC") =>
    [
      ctx.method,
      { ...ctx.base, filter: { ...ctx.userFilter, [`>${fk}`]: after }, order: { [fk]: dir }, start: -1 },
    ] as [string, Record<string, unknown>];
  const batch = await runBatch(
    ctx.client,
    { low: probe("ASC"), high: probe("DESC") },
    { repeatable: true, ...(ctx.signal ? { signal: ctx.signal } : {}), maxLimitWaitMs: ctx.maxLimitWaitMs },
  );
  const low = rowsOf(batch.get("low"), ctx.shape.itemsKey)[0];
  const high = rowsOf(batch.get("high"), ctx.shape.itemsKey)[0];
  if (!low || !high) return [];
  const lo = numericId(low, ctx.shape.idKey) - 1;
  const hi = numericId(high, ctx.shape.idKey);
  const ranges: Range[] = [];
  for (let i = 0; i < parts; i++) {
    const a = lo + Math.floor(((hi - lo) * i) / parts);
    const b = lo + Math.floor(((hi - lo) * (i + 1)) / parts);
    if (b > a) ranges.push({ after: a, before: b + 1 });
  }
  return ranges;
}
