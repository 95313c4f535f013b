import { randomBytes } from "node:crypto";
import type { Registry } from "prom-client";
import { type RetentionClock, unrefClock } from "../audit/audit-retention.js";
import { redactSecrets } from "../logging/secret-redaction.js";
import type { AppStore } from "../storage/app-store.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface MetricsSamplerOptions {
  /** Between snapshots (the console's chart resolution). */
  intervalMs: number;
  /** Snapshots older than this many days are pruned (hourly). */
  retentionDays: number;
  /** Real time with unref'd timers unless given (a FakeClock for tests). */
  clock?: RetentionClock;
  /** Names this process's rows (a random id unless given). */
  instance?: string;
  logger?: { warn(obj: object, msg: string): void };
}

export interface MetricsSampler {
  readonly instance: string;
  /** Takes a snapshot now (besides the schedule); resolves once it is stored. */
  sampleNow(): Promise<void>;
  /** Stops the schedule; resolves once a snapshot in progress has been stored. */
  stop(): Promise<void>;
}

/** `name{a="1",b="2"}` (labels sorted), or the bare name. */
function seriesKey(name: string, labels: Record<string, string | number>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(String(labels[k]))}`);
  return pairs.length ? `${name}{${pairs.join(",")}}` : name;
}

/**
 * Every counter and gauge of the registry as `series → value`; of a histogram its `_sum` and
 * `_count` (enough for averages), not its buckets. Labels never carry a tenant (metrics/app-metrics.ts).
 */
export async function snapshotRegistry(registry: Registry): Promise<Record<string, number>> {
  const series: Record<string, number> = {};
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values) {
      const name = (value as { metricName?: string }).metricName ?? metric.name;
      if (name.endsWith("_bucket")) continue;
      if (Number.isFinite(value.value))
        series[seriesKey(name, value.labels as Record<string, string | number>)] = value.value;
    }
  }
  return series;
}

/**
 * Stores a snapshot of the runtime's metrics every `intervalMs` (`admin.appendMetricSample`), so
 * that the operator console can draw rates, latencies and errors over time from the store (every
 * process its own rows, shared by all), and prunes old ones hourly. A failed snapshot is logged
 * and the schedule goes on; the timer never keeps the process alive.
 */
export function startMetricsSampler(
  registry: Registry,
  store: AppStore,
  options: MetricsSamplerOptions,
): MetricsSampler {
  if (!(options.intervalMs > 0)) throw new RangeError("intervalMs must be a positive number of ms");
  const clock = options.clock ?? unrefClock;
  const instance = options.instance ?? randomBytes(6).toString("hex");
  const stopped = new AbortController();
  let prunedAt = Number.NEGATIVE_INFINITY;
  let chain: Promise<void> = Promise.resolve();

  const sample = async () => {
    const at = clock.now();
    try {
      await store.admin.appendMetricSample({ at, instance, series: await snapshotRegistry(registry) });
      if (at - prunedAt >= HOUR_MS) {
        prunedAt = at;
        await store.admin.pruneMetricSamples(at - options.retentionDays * DAY_MS);
      }
    } catch (error) {
      try {
        options.logger?.warn(
          { err: redactSecrets(error) },
          "metrics sample not stored; trying again next time",
        );
      } catch {
        // Reporting must not stop the schedule.
      }
    }
  };
  /** Snapshots one at a time, in order. */
  const sampleNow = () => {
    chain = chain.then(sample);
    return chain;
  };
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await sampleNow();
      try {
        await clock.sleep(options.intervalMs, stopped.signal);
      } catch {
        return;
      }
    }
  })();
  return {
    instance,
    sampleNow,
    async stop() {
      stopped.abort();
      await loop;
      await chain;
    },
  };
}
