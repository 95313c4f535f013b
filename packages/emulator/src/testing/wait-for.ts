/**
 * Polls `check` until it returns something truthy and resolves with it;
 * rejects after `timeoutMs` (default 10 s, wide for a loaded machine) saying
 * what was awaited. For conditions with no event to wait on.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(
        `waitFor: ${options.what ?? "condition"} not met within ${options.timeoutMs ?? 10_000} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
