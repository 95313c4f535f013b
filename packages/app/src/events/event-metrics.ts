import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { JobQueue } from "../queue/job-queue.js";

/** An event name as a label: event names are a finite catalogue; anything odd is one bucket. */
function eventLabel(event: string): string {
  return /^[A-Z0-9_]{2,64}$/i.test(event) ? event.toUpperCase() : "OTHER";
}

export type EventOutcome = "processed" | "unhandled" | "failed" | "dead" | "skipped" | "duplicate";

/** Event and queue metrics on the app's registry (no tenant labels, as in metrics/app-metrics.ts). */
export class EventMetrics {
  readonly #received: Counter;
  readonly #rejected: Counter;
  readonly #outcomes: Counter;
  readonly #postponed: Counter;
  readonly #latency: Histogram;

  constructor(registry: Registry, queue: JobQueue | undefined) {
    this.#received = new Counter({
      name: "b24kit_events_received_total",
      help: "Events taken in and queued, by event and path (online POST or offline queue)",
      labelNames: ["event", "source", "outcome"],
      registers: [registry],
    });
    this.#rejected = new Counter({
      name: "b24kit_events_rejected_total",
      help: "Event POSTs refused before queuing, by reason",
      labelNames: ["reason"],
      registers: [registry],
    });
    this.#outcomes = new Counter({
      name: "b24kit_events_total",
      help: "Event runs by event and outcome (processed, unhandled, failed = will retry, dead, skipped = tenant gone, duplicate = the change's other copy ran)",
      labelNames: ["event", "outcome"],
      registers: [registry],
    });
    this.#postponed = new Counter({
      name: "b24kit_events_postponed_total",
      help: "Event runs postponed because the portal's limits were reached",
      labelNames: ["event"],
      registers: [registry],
    });
    this.#latency = new Histogram({
      name: "b24kit_event_latency_seconds",
      help: "From receipt to the handler's end",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    });
    if (!queue) return;
    const stats = () => queue.stats();
    new Gauge({
      name: "b24kit_queue_jobs",
      help: "Jobs in the queue by state",
      labelNames: ["state"],
      registers: [registry],
      async collect() {
        const s = await stats();
        this.set({ state: "waiting" }, s.waiting);
        this.set({ state: "running" }, s.running);
        this.set({ state: "dead" }, s.dead);
      },
    });
    new Gauge({
      name: "b24kit_queue_oldest_waiting_seconds",
      help: "Age of the oldest waiting job",
      registers: [registry],
      async collect() {
        this.set((await stats()).oldestWaitingAgeMs / 1000);
      },
    });
  }

  received(event: string, source: "online" | "offline", queued: boolean): void {
    this.#received.inc({ event: eventLabel(event), source, outcome: queued ? "queued" : "duplicate" });
  }

  rejected(reason: string): void {
    this.#rejected.inc({ reason: eventLabel(reason) });
  }

  event(event: string, outcome: EventOutcome, latencyMs?: number): void {
    this.#outcomes.inc({ event: eventLabel(event), outcome });
    if (latencyMs !== undefined) this.#latency.observe(latencyMs / 1000);
  }

  postponed(event: string): void {
    this.#postponed.inc({ event: eventLabel(event) });
  }
}
