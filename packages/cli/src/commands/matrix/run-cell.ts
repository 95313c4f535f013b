import {
  ALWAYS_PROBED_FEATURES,
  type AppStore,
  capabilityNotice,
  explainCapabilities,
  parseCapabilities,
  queryAuditLog,
  type StoredAuditEntry,
} from "@b24kit/app";
import type { AppUnderTest } from "./app-under-test.js";
import { runBotScenario } from "./bot-scenario.js";
import { createCellPortal } from "./cell-portal.js";
import { type Cell, cellLabel } from "./cells.js";
import { runEventScenario } from "./event-scenario.js";
import { runFieldScenario } from "./field-scenario.js";
import { type FrameOutcome, runFrameScenario } from "./frame-scenario.js";
import { type CellResult, type FailingCall, type ScenarioResult, worst } from "./results.js";
import { runRobotScenario } from "./robot-scenario.js";
import { fillPlaceholders, type Scenario } from "./scenarios.js";

export interface CellRunOptions {
  /** How long a page or a bot may take to answer (ms). */
  timeoutMs: number;
}

/** What the runtime's capability probe recorded for the portal, explained for the cell's user. */
async function probeOf(store: AppStore, memberId: string, admin: boolean): Promise<CellResult["probe"]> {
  const record = await store.tenant(memberId).capabilities.get();
  const capabilities = record ? parseCapabilities(record.facts) : undefined;
  const explanation = explainCapabilities(capabilities, { userIsAdmin: admin });
  return {
    probed: capabilities !== undefined,
    missing: explanation.missing.map((g) => ({
      name: g.name,
      kind: g.kind,
      required: g.required,
      userText: g.userText,
      internal:
        g.kind === "feature" && !g.required && (ALWAYS_PROBED_FEATURES as readonly string[]).includes(g.name),
    })),
    noticeHtml: capabilityNotice(explanation, { includeOptional: true }),
  };
}

async function runScenario(
  app: AppUnderTest,
  target: { memberId: string; clientId: string; userId: number; vars: Record<string, string> },
  scenario: Scenario,
  options: CellRunOptions,
): Promise<FrameOutcome> {
  try {
    if (scenario.kind === "robot")
      return await runRobotScenario(app.emulator, { ...target, deal: target.vars.deal ?? "1" }, scenario, {
        timeoutMs: options.timeoutMs,
        requiredByApp: app.requiresAutomation,
      });
    if (scenario.kind === "placement" || scenario.kind === "page")
      return await runFrameScenario(app.emulator, target, scenario, options.timeoutMs);
    if (scenario.kind === "event") return await runEventScenario(app.emulator, app.store, target, scenario);
    if (scenario.kind === "field")
      return await runFieldScenario(
        app.emulator,
        { ...target, deal: target.vars.deal ?? "1" },
        scenario,
        options.timeoutMs,
      );
    return await runBotScenario(app.emulator, target, scenario, options.timeoutMs);
  } catch (error) {
    return {
      verdict: "fails",
      summary: `the matrix could not run it: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * One cell: its portal created and the app installed (an install that fails fails the cell), the
 * declared scenarios run in order as the cell's user, and the capability probe read. The cell's
 * verdict is its worst scenario's; a cell whose scenarios all work while the probe found something
 * missing degrades (the runtime's notice names it to the user).
 */
export async function runCell(
  app: AppUnderTest,
  cell: Cell,
  scenarios: Scenario[],
  options: CellRunOptions,
): Promise<CellResult> {
  const started = Date.now();
  const label = cellLabel(cell);
  let portal: Awaited<ReturnType<typeof createCellPortal>>;
  try {
    portal = await createCellPortal(app.emulator, app.clientId, cell);
  } catch (error) {
    return {
      cell,
      label,
      verdict: "fails",
      reason: `install: ${(error instanceof Error ? error.message : String(error)).replace(/ \(see its output above\)$/, "")}`,
      scenarios: [],
      deadLetters: [],
      audit: [],
      durationMs: Date.now() - started,
    };
  }
  const target = {
    memberId: portal.memberId,
    clientId: app.clientId,
    userId: portal.userId,
    vars: portal.vars,
  };
  const probe = await probeOf(app.store, portal.memberId, cell.user === "admin").catch(() => undefined);
  const results: ScenarioResult[] = [];
  for (const declared of scenarios) {
    const scenario = fillPlaceholders(declared, portal.vars);
    const startedAt = Date.now();
    const outcome = await runScenario(app, target, scenario, options);
    results.push({
      name: declared.name,
      kind: declared.kind,
      ...outcome,
      startedAt,
      endedAt: Date.now(),
      failingCalls: [],
    });
  }
  const fromScenarios = worst(results.map((r) => r.verdict));
  const gaps = (probe?.missing ?? []).filter((g) => !g.internal);
  let verdict = fromScenarios;
  let reason: string;
  const failing = results.filter((r) => r.verdict === "fails");
  if (failing.length > 0) reason = failing.map((r) => `${r.name}: ${r.summary}`).join("; ");
  else if (fromScenarios === "degrades")
    reason = results
      .filter((r) => r.verdict === "degrades")
      .map((r) => `${r.name}: ${r.notice ?? r.summary}`)
      .join("; ");
  else if (gaps.length > 0) {
    verdict = "degrades";
    reason = `the capability probe found missing: ${gaps.map((g) => g.name).join(", ")}`;
  } else reason = fromScenarios === "skipped" ? "nothing to run on this portal" : "every scenario works";
  if (fromScenarios === "skipped" && gaps.length > 0) verdict = "degrades";
  return {
    cell,
    label,
    verdict,
    reason,
    memberId: portal.memberId,
    userId: portal.userId,
    ...(probe ? { probe } : {}),
    scenarios: results,
    deadLetters: [],
    audit: [],
    durationMs: Date.now() - started,
  };
}

/**
 * The portal's audit trail (oldest first), each scenario's failing calls (the REST calls the portal
 * refused while it ran) and the events the runtime dead-lettered. Read after the app stopped, so
 * every line is on disk. A dead letter no scenario accounted for still counts: one for a capability
 * the portal lacks (recorded, not retried) degrades the cell, any other is an event lost and fails it.
 */
export async function attachAudit(store: AppStore, result: CellResult): Promise<void> {
  if (!result.memberId) return;
  const lines: StoredAuditEntry[] = (
    await queryAuditLog(store, { memberId: result.memberId, limit: 2000 })
  ).reverse();
  result.audit = lines;
  for (const scenario of result.scenarios) {
    // A call is stamped when it starts, inside the request or job that made it: windows do not overlap.
    scenario.failingCalls = lines
      .filter(
        (l) =>
          l.kind === "rest" && l.outcome !== "ok" && l.at >= scenario.startedAt && l.at < scenario.endedAt,
      )
      .map((l): FailingCall => {
        const status = l.detail?.status;
        const code = l.detail?.errorCode;
        return {
          at: l.at,
          method: l.action,
          ...(typeof status === "number" ? { status } : {}),
          ...(typeof code === "string" ? { code } : {}),
        };
      });
  }
  const calls = result.scenarios
    .filter((s) => s.verdict === "fails" && s.failingCalls.length > 0)
    .map(
      (s) =>
        `${s.name}: ${s.failingCalls.map((c) => `${c.method} ${c.code ?? ""} (HTTP ${c.status ?? "?"})`).join(", ")}`,
    );
  if (calls.length > 0) result.reason = `${result.reason} — failing calls: ${calls.join("; ")}`;
  result.deadLetters = lines
    .filter((l) => l.kind === "event" && l.detail?.deadLetter === true)
    .map((l) => ({ at: l.at, event: l.action, error: String(l.detail?.error ?? "") }));
  const told = new Set(result.scenarios.filter((s) => s.kind === "event").map((s) => s.summary));
  const unplanned = result.deadLetters.filter(
    (d) => ![...told].some((t) => t.includes(d.error.slice(0, 60))),
  );
  if (unplanned.length === 0) return;
  const words = [
    ...new Set(unplanned.map((d) => `${d.event} dead-lettered (${d.error.slice(0, 160)})`)),
  ].join("; ");
  const lost = unplanned.some((d) => !d.error.startsWith("MissingCapabilityError"));
  if (lost) {
    result.verdict = "fails";
    result.reason = `event lost: ${words}${result.reason ? `; ${result.reason}` : ""}`;
  } else if (result.verdict === "works" || result.verdict === "skipped") {
    result.verdict = "degrades";
    result.reason = words;
  } else result.reason = `${result.reason}; ${words}`;
}
