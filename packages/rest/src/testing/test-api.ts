/**
 * The two functions a conformance suite needs from a test framework. vitest,
 * jest and `node:test` all have them: pass `{ describe, it }` from yours.
 */
export interface TestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => Promise<void>): unknown;
}

/** Fails a conformance check with a message that says what the adapter did wrong. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`conformance: ${message}`);
}

/** Unique per run, so checks against a shared server (Redis, PostgreSQL) never see each other's keys. */
export function uniqueKey(label: string): string {
  return `${label}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 10)}`;
}
