// bench/bulk-read: read every deal of a 100,000-deal portal three ways, in one run, against the
// emulator with its latency model on: b24kit's fastList, the official SDK's list helper, and a plain
// start/next loop (the baseline). Request counts come from the emulator's own stats.
//
//   npm run bench:bulk-read                 # 100,000 deals
//   npm run bench:bulk-read -- --rows 10000
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EmulatorHandle, ensureLocalCa, startEmulator } from "@b24kit/emulator";
import { createB24Client, webhookAuth } from "@b24kit/rest";

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
// every list page a base cost plus a little per row. Figures are modest so the baselines finish;
// ratios, not absolute times, are the result.
const LATENCY = { requestLatencyMs: 20, latency: { "crm.deal.list": { baseMs: 2, perRowMs: 0.06 } } };

interface Outcome {
  requests: number;
  wallMs: number;
  rows: number;
}

async function control(emu: EmulatorHandle, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emu.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function measure(
  emu: EmulatorHandle,
  memberId: string,
  name: string,
  read: () => Promise<Set<number>>,
): Promise<Outcome> {
  await control(emu, "DELETE", `portals/${memberId}/stats`);
  process.stderr.write(`  ${name}… `);
  const started = performance.now();
  const ids = await read();
  const wallMs = Math.round(performance.now() - started);
  const stats = await control(emu, "GET", `portals/${memberId}/stats`);
  process.stderr.write(
    `${ids.size} rows, ${stats.requests.total} requests, ${(wallMs / 1000).toFixed(1)} s\n`,
  );
  if (ids.size !== ROWS) throw new Error(`${name} read ${ids.size} distinct deals, expected ${ROWS}`);
  return { requests: stats.requests.total, wallMs, rows: ids.size };
}

async function main(): Promise<void> {
  const emu = await startEmulator({ port: 0, caDir, quiet: true });
  try {
    const portal = await control(emu, "POST", "portals", { plan: "professional" });
    // The bucket is lifted so the one-page-per-request baselines finish in minutes, not the
    // ~1,000 s that 2,000 requests take at 2 req/s; the "at 2 req/s" column projects that cost.
    await control(emu, "PATCH", `portals/${portal.memberId}`, {
      ...LATENCY,
      bucket: { burst: 1_000_000, drainPerSecond: 100_000 },
    });
    await control(emu, "POST", `portals/${portal.memberId}/seed`, { deals: ROWS });
    const hook = portal.adminWebhookUrl as string;
    process.stderr.write(`bulk-read: ${ROWS} deals, physical limit ${LIMIT} requests (2,500 rows each)\n`);

    const fastList = await measure(emu, portal.memberId, "fastList", async () => {
      const client = createB24Client({ auth: webhookAuth(hook) });
      const ids = new Set<number>();
      for await (const row of client.fastList<{ ID: string }>("crm.deal.list", {
        select: ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY"],
      })) {
        ids.add(Number(row.ID));
      }
      return ids;
    });

    const b24jssdk = await measure(emu, portal.memberId, "b24jssdk", async () => {
      const { B24Hook } = await import("@bitrix24/b24jssdk");
      // The SDK's own limiter would hold it to 2 req/s; loosen it like the portal's bucket above.
      const sdk = B24Hook.fromWebhookUrl(hook, {
        restrictionParams: {
          rateLimit: { burstLimit: 1e6, drainRate: 1e6, adaptiveEnabled: false },
          adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
        },
      } as never);
      const ids = new Set<number>();
      for await (const page of sdk.actions.v2.fetchList.make({
        method: "crm.deal.list",
        params: { select: ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY"] },
      })) {
        for (const row of page as Array<{ ID: string }>) ids.add(Number(row.ID));
      }
      return ids;
    });

    const naive = await measure(emu, portal.memberId, "naive", async () => {
      const ids = new Set<number>();
      let start: number | undefined = 0;
      while (start !== undefined) {
        const res = await fetch(`${hook}crm.deal.list`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            select: ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY"],
            order: { ID: "ASC" },
            start,
          }),
        });
        const page = (await res.json()) as { result: Array<{ ID: string }>; next?: number };
        for (const row of page.result) ids.add(Number(row.ID));
        start = page.next;
      }
      return ids;
    });

    const results = { fastList, b24jssdk, naive };
    const rows = Object.entries(results).map(([name, r]) => ({
      method: name,
      requests: r.requests,
      "× limit": (r.requests / LIMIT).toFixed(3),
      "wall s": (r.wallMs / 1000).toFixed(1),
      "rows/s": Math.round(r.rows / (r.wallMs / 1000)),
      "vs naive (speed)": `${(naive.wallMs / r.wallMs).toFixed(1)}×`,
      "s at 2 req/s": Math.max(r.wallMs / 1000, (r.requests - 50) / 2).toFixed(0),
    }));
    console.table(rows);
    console.log(
      `fastList uses ${(b24jssdk.requests / fastList.requests).toFixed(1)}× fewer requests than the official SDK's list helper`,
    );
    console.log(
      JSON.stringify({
        bench: "bulk-read",
        rows: ROWS,
        limit: LIMIT,
        results: Object.fromEntries(
          Object.entries(results).map(([k, r]) => [k, { requests: r.requests, wallMs: r.wallMs }]),
        ),
      }),
    );
  } finally {
    await emu.close();
  }
}

await main();
