/** Where progress goes: stderr, with whether it is a terminal and how wide. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** `bar`: one line redrawn in place (a terminal); `lines`: a plain line every `everyMs`; `off`. */
  mode: "bar" | "lines" | "off";
  everyMs: number;
  now?: () => number;
}

/**
 * Progress of a bulk export on stderr: rows done of the total, rows/s and the
 * time left. On a terminal a bar redrawn in place at most 10 times a second;
 * otherwise (a log, CI, a pipe) a plain line every few seconds.
 */
export class ExportProgress {
  readonly #sink: ProgressSink;
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  readonly #started: number;
  #total: number | undefined;
  #rows = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(sink: ProgressSink, options: ProgressOptions) {
    this.#sink = sink;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
    if (options.mode === "lines") this.#lastDraw = this.#started;
  }

  get rows(): number {
    return this.#rows;
  }

  set total(total: number | undefined) {
    this.#total = total;
  }

  /** One more row written. */
  tick(): void {
    this.#rows += 1;
    const { mode, everyMs } = this.#options;
    if (mode === "off") return;
    const now = this.#now();
    if (now - this.#lastDraw < (mode === "bar" ? 100 : everyMs)) return;
    this.#lastDraw = now;
    this.#draw(now);
  }

  /** Clears the bar; the caller prints the summary. */
  finish(): void {
    if (this.#options.mode === "bar" && this.#drawn) this.#sink.write("\r\x1b[K");
  }

  /** `1,234 rows in 0.8 s (1,543 rows/s)`. */
  summary(): string {
    const seconds = (this.#now() - this.#started) / 1000;
    return `${count(this.#rows)} rows in ${seconds.toFixed(1)} s (${count(rate(this.#rows, seconds))} rows/s)`;
  }

  #draw(now: number): void {
    const seconds = (now - this.#started) / 1000;
    const perSecond = rate(this.#rows, seconds);
    const total = this.#total;
    const known = total !== undefined && total > 0;
    // Rows created while reading can push past the count taken at the start.
    const shownTotal = known ? Math.max(total, this.#rows) : undefined;
    const eta =
      shownTotal !== undefined && perSecond > 0 ? duration((shownTotal - this.#rows) / perSecond) : "?";
    const done = shownTotal !== undefined ? `${count(this.#rows)}/${count(shownTotal)}` : count(this.#rows);
    const facts = `${done} rows  ${count(perSecond)} rows/s  ETA ${eta}`;
    if (this.#options.mode === "lines") {
      const percent = shownTotal ? ` (${Math.floor((this.#rows / shownTotal) * 100)}%)` : "";
      this.#sink.write(`progress: ${done} rows${percent}, ${count(perSecond)} rows/s, ETA ${eta}\n`);
      return;
    }
    const width = Math.max(10, Math.min(40, (this.#sink.columns ?? 80) - facts.length - 10));
    const share = shownTotal ? this.#rows / shownTotal : 0;
    const filled = Math.round(share * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
    this.#sink.write(`\r\x1b[K${shownTotal ? `${bar} ` : ""}${facts}`);
    this.#drawn = true;
  }
}

function rate(rows: number, seconds: number): number {
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
