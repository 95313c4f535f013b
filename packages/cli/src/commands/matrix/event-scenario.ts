import { setTimeout as sleep } from "node:timers/promises";
import { type AppStore, queryAuditLog, tenantKv } from "@b24kit/app";
import type { EmulatorHandle } from "@b24kit/emulator";
import { controlTry } from "./cell-portal.js";
import type { FrameOutcome } from "./frame-scenario.js";
import type { EventScenario } from "./scenarios.js";

interface Delivery {
  id: number;
  event: string;
  status: number | null;
  outcome: string;
  error?: string;
}

/** Without a declared effect: how long the app has to record a failure before the event counts as handled. */
const SETTLE_MS = 2_500;

function pathValue(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path.split("."))
    at = at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/** The effect's current value as text (undefined when absent), read from the app's store or as the portal. */
async function readEffect(
  emulator: EmulatorHandle,
  store: AppStore,
  memberId: string,
  effect: NonNullable<EventScenario["effect"]>,
): Promise<string | undefined> {
  if ("kv" in effect) {
    const value = await tenantKv(store, memberId)
      .get(effect.kv)
      .catch(() => undefined);
    return value === undefined ? undefined : JSON.stringify(value);
  }
  const res = await controlTry<{ result?: unknown }>(emulator, "POST", `portals/${memberId}/automation`, {
    method: effect.rest.method,
    params: effect.rest.params ?? {},
  });
  if (res.status >= 400) return undefined;
  const value = pathValue(res.body.result, effect.rest.field);
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * An event fired by a change the portal makes (its automation: `POST portals/{m}/automation`), then
 * followed to its end: the portal's POST in its delivery log (a failed POST: the event is lost), and
 * the handler's effect (a changed `ctx.kv` key or REST field) or a failure in the app's audit log (a
 * dead letter: the event is lost; a `MissingCapabilityError`, recorded and not retried: degrades).
 */
export async function runEventScenario(
  emulator: EmulatorHandle,
  store: AppStore,
  target: { memberId: string; clientId: string },
  scenario: EventScenario,
): Promise<FrameOutcome> {
  const { memberId, clientId } = target;
  const event = scenario.event.toUpperCase();
  const installation = await emulator.control<{
    events?: Array<{ event: string; eventType?: string }>;
  }>("GET", `portals/${memberId}/apps/${clientId}`);
  const bindings = (installation.events ?? []).filter((b) => b.event.toUpperCase() === event);
  if (bindings.length === 0)
    return { verdict: "skipped", summary: `the app has no binding for ${event} on this portal` };
  const online = bindings.some((b) => b.eventType !== "offline");

  const deliveriesPath = `portals/${memberId}/deliveries?clientId=${encodeURIComponent(clientId)}&event=${event}`;
  const before = await emulator.control<{ deliveries: Delivery[] }>("GET", deliveriesPath);
  const lastId = Math.max(0, ...before.deliveries.map((d) => d.id));
  // The portal's event names the record and the second of the change, nothing more, so a runtime
  // cannot tell two changes of one record within one second apart (b24kit's keeps the first). Earlier
  // scenarios may have changed the same record (a button that saves): this change starts a new second.
  await emulator.control("POST", "events/idle", {});
  await sleep(1_020 - (Date.now() % 1_000));
  const effectBefore = scenario.effect
    ? await readEffect(emulator, store, memberId, scenario.effect)
    : undefined;
  const started = Date.now();
  const change = await controlTry<{ error?: string; error_description?: string }>(
    emulator,
    "POST",
    `portals/${memberId}/automation`,
    { method: scenario.change.method, params: scenario.change.params ?? {} },
  );
  if (change.status >= 400)
    return {
      verdict: "skipped",
      summary: `the portal cannot make the change (${scenario.change.method}: ${change.body.error ?? `HTTP ${change.status}`})`,
    };
  await emulator.control("POST", "events/idle", {});

  const timeoutMs = scenario.timeoutMs ?? 20_000;
  const deadline = started + timeoutMs;
  let delivered = !online;
  let lastError: string | undefined;
  while (Date.now() < deadline) {
    if (!delivered) {
      const after = await emulator.control<{ deliveries: Delivery[] }>("GET", deliveriesPath);
      const fresh = after.deliveries.filter((d) => d.id > lastId);
      const failed = fresh.find((d) => d.outcome !== "ok");
      if (failed)
        return {
          verdict: "fails",
          summary: `event lost: the portal's POST ${failed.outcome === "http_error" ? `got HTTP ${failed.status}` : `failed (${failed.outcome}${failed.error ? `: ${failed.error}` : ""})`}`,
        };
      delivered = fresh.length > 0;
    }
    const lines = await queryAuditLog(store, {
      memberId,
      kinds: ["event"],
      since: started - 50,
      limit: 50,
    }).catch(() => []);
    const errors = lines.filter((l) => l.action.toUpperCase() === event && l.outcome !== "ok");
    const missing = errors.find((l) => String(l.detail?.error ?? "").startsWith("MissingCapabilityError"));
    if (missing)
      return {
        verdict: "degrades",
        summary: `the handler met a missing capability (recorded, not retried): ${String(missing.detail?.error).slice(0, 300)}`,
      };
    const dead = errors.find((l) => l.detail?.deadLetter === true);
    if (dead)
      return {
        verdict: "fails",
        summary: `event lost: dead letter after ${String(dead.detail?.attempt ?? "?")} attempts (${String(dead.detail?.error ?? "").slice(0, 300)})`,
      };
    if (errors[0]) lastError = String(errors[0].detail?.error ?? "").slice(0, 300);
    if (delivered && scenario.effect) {
      const now = await readEffect(emulator, store, memberId, scenario.effect);
      if (now !== undefined && now !== effectBefore)
        return { verdict: "works", summary: "handled: its effect shows" };
    } else if (delivered && !scenario.effect && errors.length === 0 && Date.now() - started >= SETTLE_MS) {
      return { verdict: "works", summary: "delivered and taken; no failure recorded" };
    }
    await sleep(150);
  }
  if (!delivered)
    return {
      verdict: "fails",
      summary: `event lost: the portal sent no ${event} within ${timeoutMs / 1000} s`,
    };
  return {
    verdict: "fails",
    summary: `timeout: the handler's effect did not show within ${timeoutMs / 1000} s${lastError ? ` (last failure: ${lastError})` : ""}`,
  };
}
