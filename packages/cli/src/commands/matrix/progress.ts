import type { CellResult } from "./results.js";

export interface Progress {
  started(label: string): void;
  finished(result: CellResult): void;
  /** Clears the bar (a terminal) before the table is printed. */
  end(): void;
}

const WIDTH = 24;

/**
 * Progress on stderr while the cells run: on a terminal one bar redrawn in place (cells done / all,
 * the verdicts so far, the cells running); otherwise one plain line per finished cell.
 */
export function matrixProgress(
  total: number,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Progress {
  const tty = stream.isTTY === true;
  const running = new Set<string>();
  const counts = { works: 0, degrades: 0, fails: 0, skipped: 0 };
  let done = 0;
  const draw = () => {
    const filled = Math.round((done / Math.max(total, 1)) * WIDTH);
    const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
    const now = [...running].join(", ");
    const line = `matrix ${bar} ${done}/${total}  works ${counts.works} · degrades ${counts.degrades} · fails ${counts.fails}${now ? `  ▸ ${now}` : ""}`;
    const columns = (stream as { columns?: number }).columns ?? 120;
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, columns - 1))}`);
  };
  return {
    started(label) {
      running.add(label);
      if (tty) draw();
    },
    finished(result) {
      running.delete(result.label);
      done += 1;
      counts[result.verdict] += 1;
      if (tty) draw();
      else stream.write(`matrix: ${done}/${total} ${result.label}: ${result.verdict} (${result.reason})\n`);
    },
    end() {
      if (tty) stream.write("\r\x1b[2K");
    },
  };
}
