/** Failed sign-ins within this window count against a name or an address. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** After this many failures in the window, further attempts are refused unchecked until it passes. */
export const LOGIN_MAX_FAILURES = 5;

/**
 * Failed console sign-ins by operator name and by client address, in this process. The console
 * also counts the `security` lines of the audit log (shared by every process), and takes the larger.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /** Failures in the window for any of the keys (the largest count). */
  failures(keys: ReadonlyArray<string>): number {
    const since = this.now() - LOGIN_WINDOW_MS;
    let most = 0;
    for (const key of keys) {
      const recent = (this.#failures.get(key) ?? []).filter((at) => at > since);
      if (recent.length) this.#failures.set(key, recent);
      else this.#failures.delete(key);
      most = Math.max(most, recent.length);
    }
    return most;
  }

  fail(keys: ReadonlyArray<string>): void {
    if (this.#failures.size > 10_000) this.#failures.clear();
    for (const key of keys) this.#failures.set(key, [...(this.#failures.get(key) ?? []), this.now()]);
  }

  succeed(keys: ReadonlyArray<string>): void {
    for (const key of keys) this.#failures.delete(key);
  }
}
