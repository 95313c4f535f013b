import { type Clock, realClock } from "../time/clock.js";

const WINDOW_MS = 600_000;

/**
 * The per-method operating-time budget (docs/protocol.md §4.2), learned from the
 * `time.operating` / `time.operating_reset_at` of every answer: when a method
 * is about to run out, its calls wait for the reset instead of getting
 * 429 OPERATION_TIME_LIMIT (which has no Retry-After). Reset times are read
 * against the portal's own `time.finish`, so a skewed local clock does not
 * matter, and kept on the client's clock.
 */
export class OperatingBudget {
  readonly #usage = new Map<string, { operating: number; resetAt: number }>();
  readonly #clock: Clock;

  constructor(
    private limitSeconds = 480,
    /** Stop this many seconds short of the limit: the call that crosses it is slow by definition. */
    private readonly reserveSeconds = 5,
    clock: Clock = realClock,
  ) {
    this.#clock = clock;
  }

  setLimit(seconds: number): void {
    this.limitSeconds = seconds;
  }

  /** Milliseconds from the answer until the portal resets the method's oldest minute. */
  #resetInMs(t: { operating_reset_at?: unknown; finish?: unknown }): number {
    const resetAt = Number(t.operating_reset_at);
    if (!Number.isFinite(resetAt)) return WINDOW_MS;
    const finish = Number(t.finish);
    const inMs = Number.isFinite(finish) ? (resetAt - finish) * 1000 : resetAt * 1000 - Date.now();
    return Math.min(WINDOW_MS, Math.max(0, inMs));
  }

  record(method: string, time: unknown): void {
    if (!time || typeof time !== "object") return;
    const t = time as { operating?: unknown; operating_reset_at?: unknown; finish?: unknown };
    const operating = Number(t.operating);
    if (t.operating === undefined || !Number.isFinite(operating)) return;
    this.#usage.set(method.toLowerCase(), { operating, resetAt: this.#clock.now() + this.#resetInMs(t) });
  }

  /** Records a successful answer; a batch's own time is not the portal's accounting, its commands' are. */
  recordAnswer(
    method: string,
    params: Record<string, unknown>,
    answer: { time?: unknown; result?: unknown },
  ): void {
    if (method.toLowerCase() !== "batch") {
      this.record(method, answer.time);
      return;
    }
    const cmd = (params.cmd ?? {}) as Record<string, unknown>;
    const times = (answer.result as { result_time?: unknown } | undefined)?.result_time;
    if (!times || typeof times !== "object") return;
    for (const [name, time] of Object.entries(times)) {
      const command = cmd[name];
      if (command !== undefined) this.record(String(command).split("?")[0] ?? "", time);
    }
  }

  /** The portal said OPERATION_TIME_LIMIT: block the method until its reset (at least `minMs`); returns the wait. */
  blocked(method: string, minMs = 10_000): number {
    const key = method.toLowerCase();
    const now = this.#clock.now();
    const known = this.#usage.get(key);
    const until = Math.max(known?.resetAt ?? 0, now + minMs);
    this.#usage.set(key, { operating: this.limitSeconds, resetAt: until });
    return until - now;
  }

  /** Milliseconds to wait before calling `method` (0 = go). */
  waitFor(method: string): number {
    const key = method.toLowerCase();
    const u = this.#usage.get(key);
    if (!u) return 0;
    const now = this.#clock.now();
    if (u.resetAt <= now) {
      this.#usage.delete(key);
      return 0;
    }
    return u.operating >= this.limitSeconds - this.reserveSeconds ? u.resetAt - now + 1000 : 0;
  }
}
