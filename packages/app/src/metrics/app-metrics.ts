import type { ClientHooks } from "@b24kit/rest";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AppStore } from "../storage/app-store.js";
import type { TenantState } from "../tenants/tenant-state.js";

const STATES: TenantState[] = ["installing", "active", "payment_expired", "blocked", "uninstalled"];

/** A method name as a label: REST names are a finite catalogue; anything else is one bucket (bounded cardinality). */
function methodLabel(method: string): string {
  return /^[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,5}$/i.test(method) && method.length <= 64
    ? method.toLowerCase()
    : "other";
}

/**
 * The runtime's Prometheus metrics, on a registry of its own (several apps in
 * one process never share counters). Labels never carry a tenant: member ids
 * are unbounded and, in aggregate, business data.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly #inbound = new Counter({
    name: "b24kit_inbound_requests_total",
    help: "Requests from portals and frames, by surface and outcome",
    labelNames: ["surface", "outcome"],
    registers: [this.registry],
  });
  readonly #restCalls = new Counter({
    name: "b24kit_rest_calls_total",
    help: "REST calls to portals, by method and outcome",
    labelNames: ["method", "outcome"],
    registers: [this.registry],
  });
  readonly #restErrors = new Counter({
    name: "b24kit_rest_errors_total",
    help: "Failed REST calls, by the portal's error code",
    labelNames: ["code"],
    registers: [this.registry],
  });
  readonly #restDuration = new Histogram({
    name: "b24kit_rest_call_duration_seconds",
    help: "REST call duration, retries and limiter waits included",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly #limiterWait = new Counter({
    name: "b24kit_rest_limiter_wait_seconds_total",
    help: "Time REST calls spent waiting for the portal's limits",
    registers: [this.registry],
  });
  readonly #refreshes = new Counter({
    name: "b24kit_token_refreshes_total",
    help: "Token renewals, by outcome",
    labelNames: ["outcome"],
    registers: [this.registry],
  });

  constructor(store: AppStore) {
    new Gauge({
      name: "b24kit_tenants",
      help: "Portals on file, by state",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const tenants = await store.admin.tenants();
        for (const state of STATES) this.set({ state }, tenants.filter((t) => t.state === state).length);
      },
    });
  }

  inbound(surface: string, status: number): void {
    this.#inbound.inc({ surface, outcome: status < 400 ? "ok" : status < 500 ? "rejected" : "error" });
  }

  refreshed(ok: boolean): void {
    this.#refreshes.inc({ outcome: ok ? "ok" : "error" });
  }

  /** Client hooks that count every call of a tenant's client. */
  readonly hooks: ClientHooks = {
    onAudit: (event) => {
      this.#restCalls.inc({ method: methodLabel(event.method), outcome: event.ok ? "ok" : "error" });
      if (!event.ok && event.code) this.#restErrors.inc({ code: methodLabel(event.code) });
      this.#restDuration.observe(event.durationMs / 1000);
      if (event.waitedMs > 0) this.#limiterWait.inc(event.waitedMs / 1000);
    },
    // Successful renewals arrive through the token store's onRefresh (every refresh, not only these).
    onRenewal: (event) => {
      if (!event.ok) this.refreshed(false);
    },
  };

  async response(): Promise<Response> {
    return new Response(await this.registry.metrics(), {
      headers: { "content-type": this.registry.contentType },
    });
  }
}
