// bench/rate-limit: how close b24kit's limiter gets to a portal's allowed request rate without a
// single QUERY_LIMIT_EXCEEDED, in one process (in-process bucket) and in three (Redis bucket), with
// the event loop free and with it stalled by busy loops of 150–300 ms between sends; and, to choose
// the jitter allowance, how many refusals each allowance lets through when stalled. The portal is
// the emulator in this process; the callers are separate processes (20 concurrent callers each).
//
//   npm run bench:rate-limit                     # 60 s per cell
//   npm run bench:rate-limit -- --seconds 20 --sweep 0,500,1000
import type { EmulatorHandle } from "@b24kit/emulator";
import { startEmulator } from "@b24kit/emulator";
import type { RateJob } from "../packages/rest/test/fixtures/load-worker.js";
import { allowedRequests, runWorker } from "../packages/rest/test/fixtures/run-worker.js";
import { option } from "./cli-option.js";

const SECONDS = Number(option("seconds") ?? 60);
const SWEEP = (option("sweep") ?? "0,250,500,1000,1500").split(",").map(Number);
if (!(SECONDS > 0) || SWEEP.some((j) => !(j >= 0))) throw new Error("--seconds N and --sweep a,b,c (ms)");
const REDIS_URL = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
const STALL: [number, number] = [150, 300];

interface Cell {
  ok: number;
  allowed: number;
  fraction: number;
  refused: number;
  longestStallMs: number;
}

async function run(
  emu: EmulatorHandle,
  bucket: { burst: number; drainPerSecond: number },
  processes: number,
  job: Partial<RateJob>,
): Promise<Cell> {
  const portal = await emu.control<{ memberId: string; adminWebhookUrl: string }>("POST", "portals", {
    plan: "standard",
  });
  await emu.control("PATCH", `portals/${portal.memberId}`, { bucket });
  const goAt = Date.now() + 3000;
  const full: RateJob = {
    mode: "rate",
    redisUrl: REDIS_URL,
    prefix: `b24kit:bench:${process.pid}:${portal.memberId}:`,
    concurrency: 20,
    goAt,
    deadline: goAt + SECONDS * 1000,
    webhookUrl: portal.adminWebhookUrl,
    ...job,
  };
  const outcomes = await Promise.all(Array.from({ length: processes }, () => runWorker(full)));
  const stats = await emu.control<{ requests: { errors: Record<string, number> } }>(
    "GET",
    `portals/${portal.memberId}/stats`,
  );
  const ok = outcomes.reduce((n, o) => n + o.ok, 0);
  const firstSend = Math.min(...outcomes.map((o) => o.firstSend));
  const allowed = allowedRequests(bucket.burst, bucket.drainPerSecond, firstSend, full.deadline);
  return {
    ok,
    allowed: Math.round(allowed * 10) / 10,
    fraction: Math.round((ok / allowed) * 1000) / 1000,
    refused: stats.requests.errors.QUERY_LIMIT_EXCEEDED ?? 0,
    longestStallMs: Math.max(...outcomes.map((o) => o.longestStallMs)),
  };
}

function line(label: string, c: Cell): void {
  process.stderr.write(
    `  ${label.padEnd(44)} ${String(c.ok).padStart(5)} of ${String(c.allowed).padStart(6)} allowed = ${(c.fraction * 100).toFixed(1).padStart(5)} %, ${c.refused} refused${c.longestStallMs ? `, stalls up to ${c.longestStallMs} ms` : ""}\n`,
  );
}

const emu = await startEmulator({ port: 0, http: true });
try {
  // A quick portal (burst 20, 5/s) for the sweep: more requests per second, the same lateness.
  process.stderr.write(
    `rate-limit: ${SECONDS} s per cell\njitter allowance, stalled loop, burst 20 at 5/s:\n`,
  );
  const sweep: Array<{ jitterAllowanceMs: number } & Cell> = [];
  for (const jitterAllowanceMs of SWEEP) {
    const cell = await run(emu, { burst: 20, drainPerSecond: 5 }, 1, {
      store: "memory",
      limits: { burst: 20, drainPerSecond: 5, jitterAllowanceMs },
      stallMs: STALL,
    });
    line(`jitterAllowanceMs ${jitterAllowanceMs}`, cell);
    sweep.push({ jitterAllowanceMs, ...cell });
  }

  process.stderr.write("standard plan (burst 50, 2/s), default limiter:\n");
  const standard = { burst: 50, drainPerSecond: 2 };
  const targets: Record<string, Cell> = {};
  for (const [name, processes, store] of [
    ["in-process bucket, 1 process", 1, "memory"],
    ["Redis bucket, 3 processes", 3, "redis"],
  ] as const) {
    for (const stalled of [false, true]) {
      const label = `${name}${stalled ? ", stalled" : ""}`;
      const cell = await run(emu, standard, processes, { store, ...(stalled ? { stallMs: STALL } : {}) });
      line(label, cell);
      targets[label] = cell;
    }
  }
  console.table(
    Object.entries(targets).map(([cell, c]) => ({
      cell,
      calls: c.ok,
      allowed: c.allowed,
      "% of allowed": (c.fraction * 100).toFixed(1),
      refused: c.refused,
    })),
  );
  console.log(JSON.stringify({ bench: "rate-limit", seconds: SECONDS, sweep, targets }));
} finally {
  await emu.close();
}
