import { B24Error, type MethodCaller } from "@b24kit/rest";
import type { AppManifest } from "./app-manifest.js";
import { attemptBinding, type BindingFailure, noteRefusal } from "./binding-attempt.js";

interface EventBinding {
  event: string;
  offline?: number | string;
  auth_connector?: string;
}

export interface OfflineApplyReport {
  bound: string[];
  unbound: string[];
  failed: BindingFailure[];
  /** The connector the bindings use ('' = none: the plan lacks `rest_auth_connector`). */
  connector: string;
}

/**
 * Binds the offline flavour of the manifest's `offline: true` events
 * (api-reference/events/offline-events.md), with the runtime's auth_connector
 * so that its own writes are not queued back to it; a plan without
 * `rest_auth_connector` (WRONG_LICENSE) gets bindings without one. Offline
 * bindings of events the manifest no longer marks are removed. A plan
 * without offline events refuses the binds: reported, never thrown.
 */
export async function applyOfflineBindings(
  client: MethodCaller,
  manifest: AppManifest,
  connector: string,
): Promise<OfflineApplyReport> {
  const report: OfflineApplyReport = { bound: [], unbound: [], failed: [], connector };
  const wanted = new Set(manifest.events.filter((e) => e.offline).map((e) => e.event.toUpperCase()));
  const existing = ((await client.call<EventBinding[]>("event.get")).result ?? []).filter((b) =>
    Number(b.offline),
  );
  for (const binding of existing) {
    if (wanted.has(binding.event.toUpperCase())) continue;
    await attemptBinding(report.failed, `offline ${binding.event}`, report.unbound, () =>
      client.call("event.unbind", { event: binding.event, event_type: "offline" }),
    );
  }
  for (const event of wanted) {
    if (existing.some((b) => b.event.toUpperCase() === event)) continue;
    const bind = (authConnector: string) =>
      client.call("event.bind", {
        event,
        event_type: "offline",
        ...(authConnector ? { auth_connector: authConnector } : {}),
      });
    try {
      await bind(report.connector);
      report.bound.push(`offline ${event}`);
    } catch (error) {
      if (error instanceof B24Error && error.code === "WRONG_LICENSE" && report.connector) {
        report.connector = "";
        await attemptBinding(report.failed, `offline ${event}`, report.bound, () => bind(""));
      } else noteRefusal(report.failed, `offline ${event}`, error);
    }
  }
  return report;
}
