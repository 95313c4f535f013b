/** A successful answer of a classic REST method (docs/protocol.md §3.3). */
export interface CallResult<T = unknown> {
  result: T;
  total?: number;
  next?: number;
  time?: Record<string, unknown>;
}
