// bench/bulk-read: read every deal of a 100,000-deal portal four ways, in one run, against the
// emulator with its latency model on — b24kit's fastList, the official SDK's list helper, 50 offset
// pages per batch, and a plain start/next loop (the baseline) — first on a still portal (requests,
// time, rows the portal's list engine scanned), then while 10 % of the rows are added and 10 %
// deleted during the read (rows missed, rows returned twice). Counts come from the emulator's stats.
//
//   npm run bench:bulk-read                 # 100,000 deals
//   npm run bench:bulk-read -- --rows 10000
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EmulatorHandle, ensureLocalCa, startEmulator } from "@b24kit/emulator";
import { Churn } from "./bulk-read/churn.js";
import { READERS, type Reader } from "./bulk-read/readers.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const caDir = join(here, "..", ".test-output", "bench-ca");

// Node reads NODE_EXTRA_CA_CERTS only at start: re-run this script with the emulator's CA trusted
// (the official SDK speaks HTTPS only).
if (!process.env.B24KIT_BENCH_CHILD) {
  const ca = ensureLocalCa(caDir);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile, B24KIT_BENCH_CHILD: "1" },
    },
  );
  process.exit(r.status ?? 1);
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

const ROWS = arg("rows", 100_000);
const LIMIT = Math.ceil(ROWS / 2500);
// A cloud-like cost model: every HTTP request pays a fixed overhead (network, auth, bootstrap),
// every list call a base cost, a little per row returned and a little per row its query examined
// (0.2 µs: an in-memory index; the documentation's own example, a COUNT over 2.4 M rows taking
// ~50 s, is ~100× that). Modest figures so the baselines finish; ratios are the result.
const LATENCY = {
  requestLatencyMs: 20,
  latency: { "crm.deal.list": { baseMs: 2, perRowMs: 0.06, perScannedRowMs: 0.0002 } },
};

interface Still {
  requests: number;
  wallMs: number;
  scanned: number;
}

async function freshPortal(emu: EmulatorHandle): Promise<{ memberId: string; hook: string }> {
  const portal = await emu.control<{ memberId: string; adminWebhookUrl: string }>("POST", "portals", {
    plan: "professional",
  });
  // The bucket is lifted so the one-page-per-request baselines finish in minutes, not the
  // ~1,000 s that 2,000 requests take at 2 req/s; the "at 2 req/s" column projects that cost.
  await emu.control("PATCH", `portals/${portal.memberId}`, {
    ...LATENCY,
    bucket: { burst: 1_000_000, drainPerSecond: 100_000 },
  });
  await emu.control("POST", `portals/${portal.memberId}/seed`, { deals: ROWS });
  return { memberId: portal.memberId, hook: portal.adminWebhookUrl };
}

async function still(emu: EmulatorHandle, name: string, read: Reader): Promise<Still> {
  const { memberId, hook } = await freshPortal(emu);
  await emu.control("DELETE", `portals/${memberId}/stats`);
  process.stderr.write(`  ${name}, still portal… `);
  const started = performance.now();
  const seen = new Set<number>();
  for await (const ids of read(hook)) for (const id of ids) seen.add(id);
  const wallMs = Math.round(performance.now() - started);
  const { requests } = await emu.control<{ requests: { total: number; rowsScanned: number } }>(
    "GET",
    `portals/${memberId}/stats`,
  );
  process.stderr.write(
    `${seen.size} rows, ${requests.total} requests, ${requests.rowsScanned} rows scanned, ${(wallMs / 1000).toFixed(1)} s\n`,
  );
  if (seen.size !== ROWS) throw new Error(`${name} read ${seen.size} distinct deals, expected ${ROWS}`);
  return { requests: requests.total, wallMs, scanned: requests.rowsScanned };
}

async function churning(emu: EmulatorHandle, name: string, read: Reader) {
  const { hook } = await freshPortal(emu);
  const churn = new Churn(hook, ROWS);
  process.stderr.write(`  ${name}, 10 % added and deleted while it reads… `);
  const returned: number[] = [];
  for await (const ids of read(hook)) {
    returned.push(...ids);
    await churn.catchUp(returned.length);
  }
  const verdict = churn.judge(returned);
  process.stderr.write(`${verdict.missed} missed, ${verdict.duplicated} returned twice\n`);
  return verdict;
}

async function main(): Promise<void> {
  const emu = await startEmulator({ port: 0, caDir });
  try {
    process.stderr.write(`bulk-read: ${ROWS} deals, physical limit ${LIMIT} requests (2,500 rows each)\n`);
    const results: Record<string, Still & { missed: number; duplicated: number }> = {};
    for (const [name, read] of Object.entries(READERS)) {
      results[name] = { ...(await still(emu, name, read)), ...(await churning(emu, name, read)) };
    }
    const base = results.offsetLoop!;
    console.table(
      Object.entries(results).map(([name, r]) => ({
        method: name,
        requests: r.requests,
        "× limit": (r.requests / LIMIT).toFixed(3),
        "wall s": (r.wallMs / 1000).toFixed(1),
        "vs loop (speed)": `${(base.wallMs / r.wallMs).toFixed(1)}×`,
        "s at 2 req/s": Math.max(r.wallMs / 1000, (r.requests - 50) / 2).toFixed(0),
        "rows scanned": r.scanned,
        "scanned per row": (r.scanned / ROWS).toFixed(2),
        missed: r.missed,
        "returned twice": r.duplicated,
      })),
    );
    console.log(
      JSON.stringify({
        bench: "bulk-read",
        rows: ROWS,
        limit: LIMIT,
        results: Object.fromEntries(
          Object.entries(results).map(([k, r]) => [
            k,
            {
              requests: r.requests,
              wallMs: r.wallMs,
              scanned: r.scanned,
              missed: r.missed,
              duplicated: r.duplicated,
            },
          ]),
        ),
      }),
    );
  } finally {
    await emu.close();
  }
}

await main();
