import { randomBytes } from "node:crypto";
import { type B24App, createApp, hashOperatorPassword } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { FakeClock, settle } from "@b24kit/app/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleCharts } from "../src/console/metric-charts.js";

// The sampler stores the runtime's counters on the app's clock; the console draws rates,
// averages and gauges from those rows as inline SVG.
const START = Math.floor(Date.now() / 60_000) * 60_000;
const clock = new FakeClock(START);
const store = sqliteStore({ file: ":memory:" });
let app: B24App;
let cookie: string;

beforeAll(async () => {
  app = createApp({
    manifest: { version: "1", scopes: ["crm"] },
    config: {
      publicUrl: "https://app.example.test/",
      clientId: "c",
      clientSecret: "s",
      encryptionKeys: { k1: randomBytes(32).toString("base64") },
      encryptionKeyId: "k1",
      sessionSecret: randomBytes(32).toString("hex"),
      metricsSampleSeconds: 60,
      metricsRetentionDays: 1,
    },
    store,
    clock,
    console: { operators: [{ name: "ops", passwordHash: await hashOperatorPassword("ops password") }] },
  });
  await app.ready();
  const login = await app.request("/console/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "name=ops&password=ops+password",
  });
  cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** Lets the sampler's write land (it runs on the real event loop). */
async function landed(count: number): Promise<void> {
  for (let i = 0; i < 200 && (await store.admin.metricSamples()).length < count; i++) {
    await settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("the metrics sampler and the charts", () => {
  it("stores a snapshot on start and one every interval of the app's clock", async () => {
    await landed(1);
    const [first] = await store.admin.metricSamples();
    expect(first?.at).toBe(START);
    expect(Object.keys(first?.series ?? {})).toContain('b24kit_tenants{state="active"}');
    expect(Object.keys(first?.series ?? {}).some((k) => k.includes("_bucket"))).toBe(false);
    for (let minute = 1; minute <= 5; minute++) {
      // 3 forged event POSTs a minute: refused, counted as inbound "rejected".
      for (let i = 0; i < 3; i++) await app.request("/b24/events", { method: "POST", body: "event=X" });
      await clock.advance(60_000);
      await landed(minute + 1);
    }
    const samples = await store.admin.metricSamples();
    expect(samples.map((s) => s.at - START)).toEqual([0, 1, 2, 3, 4, 5].map((m) => m * 60_000));
    expect(new Set(samples.map((s) => s.instance)).size).toBe(1);
  });

  it("the overview draws each chart as inline SVG with a point per stored interval", async () => {
    const page = await app.request("/console/?hours=1", { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const refused =
      /<figure class="card chart"><figcaption><b>Errors and refusals<\/b>.*?<\/figure>/s.exec(html)?.[0] ??
      "";
    expect(refused).toContain('data-points="20"');
    const line = /<g data-line="requests refused"><polyline[^>]*points="([^"]+)"/.exec(refused)?.[1] ?? "";
    expect(line.split(" ")).toHaveLength(5);
    expect(refused).toContain("requests refused: 3.0 per min");
    expect(html).toContain("6 samples stored in this window");
  });

  it("rates sum over processes, survive a counter reset; averages and gauges", () => {
    const c = (n: number, sum = 0, count = 0, waiting = 0) => ({
      'b24kit_rest_calls_total{method="crm.deal.get",outcome="ok"}': n,
      'b24kit_rest_calls_total{method="crm.deal.list",outcome="ok"}': n,
      b24kit_rest_call_duration_seconds_sum: sum,
      b24kit_rest_call_duration_seconds_count: count,
      'b24kit_queue_jobs{state="waiting"}': waiting,
    });
    const samples = [
      { at: 0, instance: "a", series: c(0) },
      { at: 60_000, instance: "a", series: c(10, 1, 10, 4) },
      { at: 120_000, instance: "a", series: c(2, 1.5, 12, 1) }, // restarted: 2 since the restart
      { at: 0, instance: "b", series: c(0) },
      { at: 60_000, instance: "b", series: c(5, 0, 0, 3) },
    ];
    const charts = consoleCharts(samples, { from: 0, to: 120_000, bucketMs: 60_000 });
    const rest = charts.find((ch) => ch.title === "REST calls")?.lines[0]?.points;
    expect(rest).toEqual([
      [60_000, 30],
      [120_000, 4],
    ]);
    const latency = charts.find((ch) => ch.title === "Latency")?.lines[0]?.points;
    expect(latency).toEqual([
      [60_000, 100],
      [120_000, 250],
    ]);
    const queue = charts.find((ch) => ch.title === "Queue")?.lines[0]?.points;
    expect(queue).toEqual([
      [0, 0],
      [60_000, 4],
      [120_000, 1],
    ]);
  });

  it("old samples are pruned with the retention", async () => {
    await clock.advance(25 * 3_600_000);
    await landed(1);
    for (
      let i = 0;
      i < 100 && (await store.admin.metricSamples({ until: START + 3_600_000 })).length > 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 5));
    expect(await store.admin.metricSamples({ until: START + 3_600_000 })).toEqual([]);
  });
});
