// bench/fairness: does one portal's flood hold back another portal's events? Portal B sends
// 20 events/s through the real ingress route; we time each from its receipt (the job's
// receivedAt) to the end of its handler (which waits --work-ms, a stand-in for a REST call),
// first with nothing else queued (unloaded), then while portal A's --flood events are queued
// and drained (loaded). The goal: B's loaded p99 at most 2× its unloaded p99. Embedded profile
// (one process: server and 4 workers) and cluster profile (a web process, workers: 0, and a
// worker process with 4 workers; fairness by BullMQ priorities). A's flood goes straight into
// the queue from the web process, as the jobs the ingress writes (--flood-via ingress posts it
// through the route instead, from here, 16 at a time).
//
//   npm run bench:fairness                         # --flood 50000
//   npm run bench:fairness -- --flood 5000 --profiles embedded --flood-via ingress
import { Console } from "node:console";
import { availableParallelism, loadavg } from "node:os";
import { startEmulator } from "@b24kit/emulator";
import { testPortal } from "@b24kit/emulator/testing";
import { option } from "./cli-option.js";
import { closedLoop, openLoop, percentile, round } from "./ingress/load.js";
import type { ChildMessage, ProcessSettings } from "./ingress/protocol.js";
import {
  clusterScope,
  embeddedDir,
  eventBodies,
  installAndCapture,
  registerApp,
  type ServerProcess,
  startProcess,
} from "./ingress/setup.js";

const FLOOD = Number(option("flood") ?? 50_000);
const B_RATE = Number(option("rate") ?? 20);
const UNLOADED_SECONDS = Number(option("unloaded-seconds") ?? 10);
const WORK_MS = Number(option("work-ms") ?? 1);
const MAX_LOADED_SECONDS = Number(option("max-loaded-seconds") ?? 300);
const FLOOD_VIA = option("flood-via") ?? "queue";
const ALL = ["embedded", "cluster"] as const;
type Profile = (typeof ALL)[number];
const PROFILES = (option("profiles") ?? ALL.join(",")).split(",") as Profile[];
if (
  !(FLOOD > 0) ||
  !(B_RATE > 0) ||
  !(UNLOADED_SECONDS > 0) ||
  !(WORK_MS >= 0) ||
  !["queue", "ingress"].includes(FLOOD_VIA) ||
  PROFILES.some((p) => !ALL.includes(p))
)
  throw new Error(
    "--flood N, --rate N (B's events/s), --unloaded-seconds S, --work-ms N, --flood-via queue|ingress, --profiles embedded,cluster",
  );

interface FairnessResult {
  unloadedP50Ms: number;
  unloadedP99Ms: number;
  loadedP50Ms: number;
  loadedP99Ms: number;
  /** Loaded p99 / unloaded p99. */
  ratio: number;
  meetsTarget: boolean;
  unloadedSamples: number;
  loadedSamples: number;
  /** Flood start → A's last handler run. */
  floodDrainSeconds: number;
}

const emu = await startEmulator({ port: 0, http: true });
const log = (line: string) => process.stderr.write(`${line}\n`);
let nextDeal = 1_000_000;

async function run(profile: Profile): Promise<FairnessResult> {
  const [portalA, portalB] = [await testPortal(emu), await testPortal(emu)];
  const app = await registerApp(emu);
  const local = profile === "embedded" ? embeddedDir() : undefined;
  const cluster = profile === "cluster" ? clusterScope() : undefined;
  const base: ProcessSettings = {
    ...app.settings,
    profile,
    role: "all",
    workers: 4,
    workMs: WORK_MS,
    watch: [portalB.memberId],
    ...(local ? { dir: local.dir } : {}),
    ...(cluster
      ? { pgUrl: cluster.pgUrl, schema: cluster.schema, redisUrl: cluster.redisUrl, prefix: cluster.prefix }
      : {}),
  };
  const processes: ServerProcess[] = [];
  try {
    const web = await startProcess(profile === "embedded" ? base : { ...base, role: "web" });
    processes.push(web);
    if (profile === "cluster") processes.push(await startProcess({ ...base, role: "worker" }));

    const ran = new Map<number, number>();
    let counts: Record<string, number> = {};
    let flooded: { count: number; ms: number } | undefined;
    let lastARunAt = 0;
    for (const p of processes)
      p.onMessage((m: ChildMessage) => {
        if (m.type === "ran") ran.set(m.dealId, m.latencyMs);
        else if (m.type === "flooded") flooded = m;
        else if (m.type === "counts") {
          // Several worker processes would each count their own; there is one per profile here.
          if (m.counts[portalA.memberId] !== counts[portalA.memberId]) lastARunAt = performance.now();
          counts = m.counts;
        }
      });
    const bodiesB = eventBodies(await installAndCapture(emu, portalB, app.settings.clientId));
    const bodiesA = eventBodies(await installAndCapture(emu, portalA, app.settings.clientId));
    const events = `${app.url}b24/events`;

    // B alone.
    const unloadedIds: number[] = [];
    const sendB = () => {
      const id = nextDeal++;
      unloadedIds.push(id);
      return bodiesB(id);
    };
    await openLoop({ url: events, rate: B_RATE, seconds: UNLOADED_SECONDS, body: sendB });
    const unloaded = await latencies(ran, unloadedIds);

    // B while A's flood waits and drains.
    const aBefore = counts[portalA.memberId] ?? 0;
    const aDone = () => (counts[portalA.memberId] ?? 0) - aBefore;
    const floodStart = performance.now();
    const firstA = nextDeal;
    nextDeal += FLOOD;
    let floodStatuses: Record<string, number> | undefined;
    if (FLOOD_VIA === "queue")
      web.child.send({ type: "flood", memberId: portalA.memberId, count: FLOOD, firstId: firstA });
    else
      void closedLoop({ url: events, total: FLOOD, concurrency: 16, body: (i) => bodiesA(firstA + i) }).then(
        (statuses) => {
          floodStatuses = statuses;
        },
      );
    const loadedIds: number[] = [];
    const sendLoadedB = () => {
      const id = nextDeal++;
      loadedIds.push(id);
      return bodiesB(id);
    };
    const overdue = () => performance.now() - floodStart > MAX_LOADED_SECONDS * 1000;
    await openLoop({
      url: events,
      rate: B_RATE,
      seconds: MAX_LOADED_SECONDS,
      body: sendLoadedB,
      until: () => aDone() >= FLOOD || overdue(),
    });
    const floodDrainSeconds = round((lastARunAt - floodStart) / 1000, 1);
    if (aDone() < FLOOD)
      log(`  ${profile}: only ${aDone()} of A's ${FLOOD} ran within ${MAX_LOADED_SECONDS} s`);
    const loaded = await latencies(ran, loadedIds);
    const enqueued = flooded
      ? `queued in ${(flooded.ms / 1000).toFixed(1)} s`
      : `posted: ${JSON.stringify(floodStatuses ?? {})}`;
    log(
      `  ${profile.padEnd(9)} B unloaded p50 ${unloaded.p50} ms p99 ${unloaded.p99} ms (${unloaded.n}) | loaded p50 ${loaded.p50} ms p99 ${loaded.p99} ms (${loaded.n}) | A: ${FLOOD} ${enqueued}, drained in ${floodDrainSeconds} s`,
    );
    const ratio = unloaded.p99 > 0 ? round(loaded.p99 / unloaded.p99, 2) : 0;
    return {
      unloadedP50Ms: unloaded.p50,
      unloadedP99Ms: unloaded.p99,
      loadedP50Ms: loaded.p50,
      loadedP99Ms: loaded.p99,
      ratio,
      meetsTarget: ratio > 0 && ratio <= 2,
      unloadedSamples: unloaded.n,
      loadedSamples: loaded.n,
      floodDrainSeconds,
    };
  } finally {
    for (const p of processes.reverse()) await p.stop();
    local?.remove();
    await cluster?.remove();
  }
}

/** B's receipt → handler end, once every one of `ids` has run (or 60 s have passed). */
async function latencies(ran: Map<number, number>, ids: number[]) {
  await waitUntil(() => ids.every((id) => ran.has(id)), 60_000);
  const values = ids
    .map((id) => ran.get(id))
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  if (values.length < ids.length)
    log(`  ${ids.length - values.length} of B's ${ids.length} events never ran`);
  return { p50: percentile(values, 0.5), p99: percentile(values, 0.99), n: values.length };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

const loadBefore = loadavg()[0]!;
try {
  log(
    `fairness: B at ${B_RATE}/s, ${UNLOADED_SECONDS} s alone, then while A's ${FLOOD} events (via ${FLOOD_VIA}) drain; handlers wait ${WORK_MS} ms`,
  );
  const results: Partial<Record<Profile, FairnessResult>> = {};
  for (const profile of PROFILES) results[profile] = await run(profile);
  new Console({ stdout: process.stderr }).table(
    Object.entries(results).map(([profile, r]) => ({ profile, ...r })),
  );
  console.log(
    JSON.stringify({
      bench: "fairness",
      flood: FLOOD,
      results,
      notes: [
        FLOOD_VIA === "queue"
          ? "A's flood: enqueued in the web process straight into the queue, as the ingress writes the job (key, kind, payload), 20 at a time"
          : "A's flood: POSTed through the ingress route, 16 in flight",
        `B: ${B_RATE} events/s through the ingress route; latency = receipt (job receivedAt) to handler end; handlers wait ${WORK_MS} ms; 4 workers`,
        "embedded: one process (server + workers); cluster: a web process (workers: 0) and a worker process; parent runs the emulator and the load",
        "loaded = B's events sent from the flood's start until A's last event ran; ratio = loaded p99 / unloaded p99, target <= 2",
        `machine: ${availableParallelism()} cores, 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
      ],
    }),
  );
} finally {
  await emu.close();
}
