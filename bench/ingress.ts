// bench/ingress: how fast POST b24/events is acknowledged (p50/p99 from send to the end of the
// answer) and how many it takes per second, under the same open-loop load for three servers:
// a bare Fastify route answering 200 (baseline), the app on the embedded profile (SQLite store
// and queue, --workers in-process workers (4) running a no-op handler) and the web process of the cluster
// profile (PostgreSQL store, BullMQ on Redis, workers: 0). Each server runs in a process of its
// own; the load generator and the emulator (plain HTTP) run here. Every request is the portal's
// own signed ONCRMDEALADD POST, captured from the emulator, for another deal each time.
//
//   npm run bench:ingress                          # 1000 events/s for 10 s after 2 s of warm-up
//   npm run bench:ingress -- --rate 2000 --seconds 20 --warmup 3 --targets embedded
import { Console } from "node:console";
import { availableParallelism, loadavg } from "node:os";
import { startEmulator } from "@b24kit/emulator";
import { testPortal } from "@b24kit/emulator/testing";
import { option } from "./cli-option.js";
import { openLoop, round, type Summary, summarize } from "./ingress/load.js";
import type { ProcessSettings } from "./ingress/protocol.js";
import {
  clusterScope,
  embeddedDir,
  eventBodies,
  installAndCapture,
  registerApp,
  type ServerProcess,
  startProcess,
} from "./ingress/setup.js";

const RATE = Number(option("rate") ?? 1000);
const SECONDS = Number(option("seconds") ?? 10);
const WARMUP = Number(option("warmup") ?? 2);
/** In-process workers of the embedded profile. */
const WORKERS = Number(option("workers") ?? 4);
const ALL = ["baseline", "embedded", "cluster"] as const;
type Target = (typeof ALL)[number];
const TARGETS = (option("targets") ?? ALL.join(",")).split(",") as Target[];
if (
  !(RATE > 0) ||
  !(SECONDS > 0) ||
  !(WARMUP >= 0) ||
  !(WORKERS >= 0) ||
  TARGETS.some((t) => !ALL.includes(t))
)
  throw new Error(
    "--rate N (events/s), --seconds S, --warmup S, --workers N, --targets baseline,embedded,cluster",
  );
/** The issue's goal for the embedded profile: p99 under 10 ms at 1,000 events/s. */
const TARGET_P99_MS = 10;

const emu = await startEmulator({ port: 0, http: true });
const log = (line: string) => process.stderr.write(`${line}\n`);
/** With the server process's CPU time per request: what the load costs it, however busy the machine. */
type Result = Summary & { cpuMsPerEvent: number };
const results: Partial<Record<Target, Result>> = {};
// The baseline gets the same bodies: the first app's captured POST (it reads and ignores them).
let template: string | undefined;
let nextDeal = 1_000_000;

async function measure(
  target: Target,
  server: ServerProcess,
  url: string,
  body: (dealId: number) => string,
): Promise<void> {
  const events = `${url}b24/events`;
  if (WARMUP > 0) await openLoop({ url: events, rate: RATE, seconds: WARMUP, body: () => body(nextDeal++) });
  const cpuBefore = await server.cpuMs();
  const run = await openLoop({ url: events, rate: RATE, seconds: SECONDS, body: () => body(nextDeal++) });
  const cpuMs = (await server.cpuMs()) - cpuBefore;
  const s: Result = { ...summarize(run), cpuMsPerEvent: round(cpuMs / Math.max(1, run.ok + run.errors), 3) };
  results[target] = s;
  const other = Object.entries(run.statuses).filter(([status]) => status !== "200");
  log(
    `  ${target.padEnd(9)} ${String(s.rps).padStart(7)} rps  p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  max ${s.maxMs} ms  errors ${s.errors}  server CPU ${s.cpuMsPerEvent} ms/event${other.length ? ` (${other.map(([k, v]) => `${k === "0" ? "no answer" : k}: ${v}`).join(", ")})` : ""}`,
  );
}

async function appTarget(target: "embedded" | "cluster"): Promise<void> {
  const portal = await testPortal(emu);
  const app = await registerApp(emu);
  const local = target === "embedded" ? embeddedDir() : undefined;
  const cluster = target === "cluster" ? clusterScope() : undefined;
  const settings: ProcessSettings = {
    ...app.settings,
    profile: target,
    role: target === "embedded" ? "all" : "web",
    workers: WORKERS,
    workMs: 0,
    ...(local ? { dir: local.dir } : {}),
    ...(cluster
      ? { pgUrl: cluster.pgUrl, schema: cluster.schema, redisUrl: cluster.redisUrl, prefix: cluster.prefix }
      : {}),
  };
  const server = await startProcess(settings);
  try {
    const captured = await installAndCapture(emu, portal, app.settings.clientId);
    template ??= captured;
    await measure(target, server, app.url, eventBodies(captured));
  } finally {
    await server.stop();
    local?.remove();
    // The cluster's web process queued every event for workers that never came: drop them all.
    await cluster?.remove();
  }
}

async function baselineTarget(): Promise<void> {
  if (!template) {
    // Only the baseline asked for: capture a body from an embedded app, not measured.
    const portal = await testPortal(emu);
    const app = await registerApp(emu);
    const local = embeddedDir();
    const server = await startProcess({ ...app.settings, profile: "embedded", role: "all", dir: local.dir });
    try {
      template = await installAndCapture(emu, portal, app.settings.clientId);
    } finally {
      await server.stop();
      local.remove();
    }
  }
  const app = await registerApp(emu);
  const server = await startProcess({ ...app.settings, profile: "baseline", role: "web" });
  try {
    await measure("baseline", server, app.url, eventBodies(template));
  } finally {
    await server.stop();
  }
}

const loadBefore = loadavg()[0]!;
try {
  log(`ingress: ${RATE} events/s for ${SECONDS} s after ${WARMUP} s of warm-up, open loop, keep-alive`);
  // The apps first: the baseline reuses their captured body.
  for (const target of TARGETS) if (target !== "baseline") await appTarget(target);
  if (TARGETS.includes("baseline")) await baselineTarget();

  const base = results.baseline;
  const ratio = (s: Summary) => (base && base.p99Ms > 0 ? round(s.p99Ms / base.p99Ms, 2) : undefined);
  const out: Record<string, unknown> = {};
  for (const target of ALL) {
    const s = results[target];
    if (!s) continue;
    out[target] = {
      ...s,
      ...(target !== "baseline" && ratio(s) !== undefined ? { p99Ratio: ratio(s) } : {}),
      ...(target === "embedded" ? { meetsTarget: s.errors === 0 && s.p99Ms < TARGET_P99_MS } : {}),
    };
  }
  new Console({ stdout: process.stderr }).table(
    Object.entries(out).map(([target, s]) => ({ target, ...(s as object) })),
  );
  console.log(
    JSON.stringify({
      bench: "ingress",
      rate: RATE,
      seconds: SECONDS,
      results: out,
      notes: [
        "each server in a child process of its own; load generator and emulator in the parent",
        "load: node:http keep-alive Agent, open loop; latency = send to end of response, 200s only; rps = 200s per second",
        `machine: ${availableParallelism()} cores, 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after; cpuMsPerEvent = the server process's CPU per request in the run (embedded: its workers' too)`,
        `bodies: the portal's captured ONCRMDEALADD POST, data[FIELDS][ID] and ts replaced per request; target: embedded p99 < ${TARGET_P99_MS} ms`,
      ],
    }),
  );
} finally {
  await emu.close();
}
