import type { MetricSample } from "../storage/records.js";
import type { ChartInput, ChartLine } from "./svg-chart.js";

/** Which series a line sums: the metric's name and, optionally, label values it must carry. */
interface Selector {
  name: string;
  labels?: Record<string, string | ReadonlyArray<string>>;
}

type LineSpec =
  | { label: string; rate: ReadonlyArray<Selector> }
  | { label: string; gauge: ReadonlyArray<Selector> }
  | { label: string; averageOf: string };

interface ChartSpec {
  title: string;
  unit: string;
  lines: ReadonlyArray<LineSpec>;
}

/** The console's charts, each line a sum of stored series: rates per minute, averages in ms, gauges. */
export const CONSOLE_CHARTS: ReadonlyArray<ChartSpec> = [
  {
    title: "Events",
    unit: "per min",
    lines: [
      { label: "received", rate: [{ name: "b24kit_events_received_total", labels: { outcome: "queued" } }] },
      {
        label: "processed",
        rate: [{ name: "b24kit_events_total", labels: { outcome: ["processed", "unhandled"] } }],
      },
      {
        label: "failed or dead",
        rate: [{ name: "b24kit_events_total", labels: { outcome: ["failed", "dead"] } }],
      },
    ],
  },
  {
    title: "REST calls",
    unit: "per min",
    lines: [
      { label: "ok", rate: [{ name: "b24kit_rest_calls_total", labels: { outcome: "ok" } }] },
      { label: "failed", rate: [{ name: "b24kit_rest_calls_total", labels: { outcome: "error" } }] },
    ],
  },
  {
    title: "Latency",
    unit: "ms, average",
    lines: [
      { label: "REST call", averageOf: "b24kit_rest_call_duration_seconds" },
      { label: "event, receipt to handled", averageOf: "b24kit_event_latency_seconds" },
    ],
  },
  {
    title: "Errors and refusals",
    unit: "per min",
    lines: [
      { label: "portal errors", rate: [{ name: "b24kit_rest_errors_total" }] },
      {
        label: "event runs failed",
        rate: [{ name: "b24kit_events_total", labels: { outcome: ["failed", "dead"] } }],
      },
      {
        label: "requests refused",
        rate: [{ name: "b24kit_inbound_requests_total", labels: { outcome: ["rejected", "error"] } }],
      },
      {
        label: "token refreshes failed",
        rate: [{ name: "b24kit_token_refreshes_total", labels: { outcome: "error" } }],
      },
    ],
  },
  {
    title: "Queue",
    unit: "jobs",
    lines: [
      { label: "waiting", gauge: [{ name: "b24kit_queue_jobs", labels: { state: "waiting" } }] },
      { label: "running", gauge: [{ name: "b24kit_queue_jobs", labels: { state: "running" } }] },
      { label: "dead letters", gauge: [{ name: "b24kit_queue_jobs", labels: { state: "dead" } }] },
    ],
  },
  {
    title: "Limit waits",
    unit: "seconds waited per min",
    lines: [
      {
        label: "REST calls waiting for the portal's limits",
        rate: [{ name: "b24kit_rest_limiter_wait_seconds_total" }],
      },
    ],
  },
];

/** `name{a="1",b="2"}` → name and labels (as metrics-sampler writes the keys). */
function parseKey(key: string): { name: string; labels: Record<string, string> } {
  const open = key.indexOf("{");
  if (open === -1) return { name: key, labels: {} };
  const labels: Record<string, string> = {};
  for (const match of key.slice(open + 1, -1).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*")/g)) {
    try {
      labels[match[1]!] = JSON.parse(match[2]!) as string;
    } catch {
      // A label we cannot read matches no selector.
    }
  }
  return { name: key.slice(0, open), labels };
}

function sum(series: Record<string, number>, selectors: ReadonlyArray<Selector>): number {
  let total = 0;
  for (const [key, value] of Object.entries(series)) {
    const { name, labels } = parseKey(key);
    for (const selector of selectors) {
      if (name !== selector.name) continue;
      const fits = Object.entries(selector.labels ?? {}).every(([label, wanted]) =>
        typeof wanted === "string" ? labels[label] === wanted : wanted.includes(labels[label] ?? ""),
      );
      if (fits) {
        total += value;
        break;
      }
    }
  }
  return total;
}

/** A counter's growth between two snapshots of one process (a restart starts it from 0 again). */
function growth(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/**
 * The charts over [from, to) from stored snapshots. Counters become rates per minute (differences
 * between consecutive snapshots of one process, summed over processes); histograms an average
 * (Δsum / Δcount); gauges the largest value any process saw. Points are grouped in buckets of
 * `bucketMs` (at least the sampling interval) so a long window stays readable.
 */
export function consoleCharts(
  samples: ReadonlyArray<MetricSample>,
  window: { from: number; to: number; bucketMs: number },
): ChartInput[] {
  const byInstance = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    const list = byInstance.get(sample.instance) ?? [];
    list.push(sample);
    byInstance.set(sample.instance, list);
  }
  for (const list of byInstance.values()) list.sort((a, b) => a.at - b.at);
  // A snapshot closes the interval that ends at its time: it belongs to the bucket holding (at - 1).
  const bucket = (at: number) => Math.floor((at - 1 - window.from) / window.bucketMs);

  const lineFor = (spec: LineSpec): ChartLine => {
    /** Per bucket: a, b (summed, or a the largest) and the latest snapshot time, where the point goes. */
    const buckets = new Map<number, { a: number; b: number; at: number }>();
    const add = (at: number, a: number, b: number, combine: "sum" | "max") => {
      const key = bucket(at);
      const current = buckets.get(key);
      if (!current) buckets.set(key, { a, b, at });
      else if (combine === "sum")
        buckets.set(key, { a: current.a + a, b: current.b + b, at: Math.max(current.at, at) });
      else buckets.set(key, { a: Math.max(current.a, a), b: 0, at: Math.max(current.at, at) });
    };
    for (const list of byInstance.values()) {
      if ("gauge" in spec) {
        for (const sample of list) add(sample.at, sum(sample.series, spec.gauge), 0, "max");
        continue;
      }
      for (let i = 1; i < list.length; i++) {
        const [before, after] = [list[i - 1]!, list[i]!];
        if ("rate" in spec) {
          // a: growth, b: minutes it took, summed per bucket (per process, then over processes).
          add(
            after.at,
            growth(sum(before.series, spec.rate), sum(after.series, spec.rate)),
            (after.at - before.at) / 60_000,
            "sum",
          );
        } else {
          const s = [{ name: `${spec.averageOf}_sum` }];
          const c = [{ name: `${spec.averageOf}_count` }];
          add(
            after.at,
            growth(sum(before.series, s), sum(after.series, s)),
            growth(sum(before.series, c), sum(after.series, c)),
            "sum",
          );
        }
      }
    }
    const points: Array<[number, number]> = [];
    for (const [, { a, b, at }] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
      if ("gauge" in spec) points.push([at, a]);
      else if ("rate" in spec) {
        // Growth per minute over the bucket: with several processes, each one's minutes overlap, so
        // divide by the bucket's own span in minutes, at least the time sampled.
        const minutes = Math.max(Math.min(b, window.bucketMs / 60_000), 1e-9);
        points.push([at, a / minutes]);
      } else points.push([at, b > 0 ? (a / b) * 1000 : 0]);
    }
    return { label: spec.label, points };
  };

  return CONSOLE_CHARTS.map((chart) => ({
    title: chart.title,
    unit: chart.unit,
    from: window.from,
    to: window.to,
    lines: chart.lines.map(lineFor),
  }));
}
