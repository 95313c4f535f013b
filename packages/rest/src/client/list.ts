import type { CallResult, MethodCaller } from "./envelope.js";

export interface ListOptions {
  /** Where the rows are in `result` (e.g. "items" for crm.item.list, "tasks" for tasks.task.list). */
  itemsKey?: string;
  signal?: AbortSignal;
  /** Bounds each page's request (see `CallOptions`): the iteration throws LIMIT_WAIT_EXCEEDED. */
  maxLimitWaitMs?: number;
}

/** Known list methods whose rows are nested in `result`. */
export const NESTED_ITEMS: Record<string, string> = {
  "crm.item.list": "items",
  "tasks.task.list": "tasks",
};

export function rowsOf(result: unknown, itemsKey: string | undefined): unknown[] {
  const value =
    itemsKey && result && typeof result === "object" && !Array.isArray(result)
      ? (result as Record<string, unknown>)[itemsKey]
      : result;
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return Object.values(value);
  return [];
}

/**
 * Every row of a list method following `next` (docs/protocol.md §5); stops when
 * the caller stops iterating. One request per 50 rows: for bulk reads prefer
 * `fastList`.
 */
export async function* listRows<T>(
  client: MethodCaller,
  method: string,
  params: Record<string, unknown>,
  options: ListOptions = {},
): AsyncGenerator<T> {
  const itemsKey = options.itemsKey ?? NESTED_ITEMS[method.toLowerCase()];
  let start: number | undefined = typeof params.start === "number" ? params.start : 0;
  while (start !== undefined) {
    const page: CallResult = await client.call(
      method,
      { ...params, start },
      { ...(options.signal ? { signal: options.signal } : {}), maxLimitWaitMs: options.maxLimitWaitMs },
    );
    for (const row of rowsOf(page.result, itemsKey)) yield row as T;
    start = typeof page.next === "number" && page.next > start ? page.next : undefined;
  }
}
