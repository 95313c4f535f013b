/**
 * The per-method operating-time budget (protocol.md §4.2), learned from the
 * `time.operating` / `time.operating_reset_at` of every answer: when a method
 * is about to run out, its calls wait for the reset instead of getting
 * 429 OPERATION_TIME_LIMIT (which has no Retry-After).
 */
export class OperatingBudget {
  readonly #usage = new Map<string, { operating: number; resetAtMs: number }>();

  constructor(
    private limitSeconds = 480,
    /** Stop this many seconds short of the limit: the call that crosses it is slow by definition. */
    private readonly reserveSeconds = 5,
  ) {}

  setLimit(seconds: number): void {
    this.limitSeconds = seconds;
  }

  record(method: string, time: unknown): void {
    if (!time || typeof time !== "object") return;
    const t = time as { operating?: unknown; operating_reset_at?: unknown };
    const operating = Number(t.operating);
    const resetAt = Number(t.operating_reset_at);
    if (!Number.isFinite(operating)) return;
    this.#usage.set(method.toLowerCase(), {
      operating,
      resetAtMs: Number.isFinite(resetAt) ? resetAt * 1000 : Date.now() + 600_000,
    });
  }

  /** The portal said OPERATION_TIME_LIMIT: block the method until its reset (at least `minMs`). */
  blocked(method: string, minMs = 10_000): number {
    const key = method.toLowerCase();
    const known = this.#usage.get(key);
    const until = Math.max(known?.resetAtMs ?? 0, Date.now() + minMs);
    this.#usage.set(key, { operating: this.limitSeconds, resetAtMs: until });
    return until - Date.now();
  }

  /** Milliseconds to wait before calling `method` (0 = go). */
  waitFor(method: string): number {
    const u = this.#usage.get(method.toLowerCase());
    if (!u) return 0;
    const now = Date.now();
    if (u.resetAtMs <= now) {
      this.#usage.delete(method.toLowerCase());
      return 0;
    }
    return u.operating >= this.limitSeconds - this.reserveSeconds ? u.resetAtMs - now + 1000 : 0;
  }
}
