import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorHandle } from "@b24kit/emulator";
import { controlTry, type PortalAnswer, portalSaid } from "./cell-portal.js";
import type { FrameOutcome } from "./frame-scenario.js";
import type { RobotScenario } from "./scenarios.js";

/** A robot's run as the control API lists it (packages/emulator/src/automation/robot-runs.ts). */
interface RobotRun {
  ID: number;
  CLIENT_ID: string;
  CODE: string;
  ENTITY_ID: number;
  STATUS: string;
  RETURN_VALUES?: Record<string, unknown>;
  LOG?: string[];
}

/** How long a portal that took the placement and the move has to start the run before it counts as none. */
const START_MS = 3_000;

async function runsOf(
  emulator: EmulatorHandle,
  memberId: string,
  clientId: string,
  code: string,
  deal: number,
) {
  const res = await controlTry<{ runs?: RobotRun[] }>(emulator, "GET", `portals/${memberId}/robot-runs`);
  return (res.body.runs ?? []).filter(
    (r) => r.CLIENT_ID === clientId && r.CODE === code && r.ENTITY_ID === deal,
  );
}

/** Why the portal runs no robots, from its modules and plan (GET portals/{m}); "" when nothing shows. */
async function noAutomationReason(emulator: EmulatorHandle, memberId: string): Promise<string> {
  const portal = await controlTry<{ modules?: string[]; plan?: string }>(
    emulator,
    "GET",
    `portals/${memberId}`,
  );
  if (portal.status >= 400) return "";
  if (!(portal.body.modules ?? []).includes("bizproc")) return "automation (bizproc) is off on this portal";
  if (portal.body.plan === "free") return "the free plan has no REST, so the app could not register it";
  return "";
}

/**
 * The app's robot on a deal stage (control API `automation-rules`, as an admin places it on the
 * automation page), the portal's first seeded deal moved there by the portal (`automation`), and the
 * run followed in `robot-runs` until the app completes it. A portal that cannot run it — the robot is
 * not registered (automation off, REST refused), the placement is refused, no run starts — degrades
 * with what the portal said, or fails when the manifest requires automation (`requiredByApp`). A deal
 * the portal cannot move (no CRM) is skipped, as an event's change is.
 */
export async function runRobotScenario(
  emulator: EmulatorHandle,
  target: { memberId: string; clientId: string; deal: string },
  scenario: RobotScenario,
  options: { timeoutMs: number; requiredByApp: boolean },
): Promise<FrameOutcome> {
  const { memberId, clientId } = target;
  const cannotRun = async (portalWords: string): Promise<FrameOutcome> => {
    const why = await noAutomationReason(emulator, memberId);
    const text = `the robot cannot run on this portal: ${why ? `${why}; ` : ""}the portal said "${portalWords}"`;
    if (options.requiredByApp)
      return { verdict: "fails", summary: `${text}, and the app's manifest requires automation` };
    return { verdict: "degrades", summary: text };
  };
  const placed = await controlTry<PortalAnswer>(emulator, "POST", `portals/${memberId}/automation-rules`, {
    stageId: scenario.stage,
    clientId,
    code: scenario.robot,
    values: scenario.values ?? {},
  });
  if (placed.status === 400 && /has no stage/.test(portalSaid(placed.status, placed.body)))
    return { verdict: "fails", summary: `the scenario's stage: ${portalSaid(placed.status, placed.body)}` };
  if (placed.status >= 400) return cannotRun(portalSaid(placed.status, placed.body));

  const deal = Number(target.deal);
  const move = async (stage: string) =>
    controlTry<PortalAnswer>(emulator, "POST", `portals/${memberId}/automation`, {
      method: "crm.deal.update",
      params: { id: deal, fields: { STAGE_ID: stage } },
    });
  const current = await controlTry<{ result?: { STAGE_ID?: string } }>(
    emulator,
    "POST",
    `portals/${memberId}/automation`,
    { method: "crm.deal.get", params: { id: deal } },
  );
  if (current.status >= 400)
    return {
      verdict: "skipped",
      summary: `the portal has no deal ${deal} to move (crm.deal.get: ${portalSaid(current.status, current.body as PortalAnswer)})`,
    };
  // A robot starts when the deal enters its stage: one already there leaves it first.
  if (current.body.result?.STAGE_ID === scenario.stage)
    await move(scenario.stage === "NEW" ? "PREPARATION" : "NEW");
  const seen = new Set((await runsOf(emulator, memberId, clientId, scenario.robot, deal)).map((r) => r.ID));
  const moved = await move(scenario.stage);
  if (moved.status >= 400)
    return {
      verdict: "skipped",
      summary: `the portal cannot move the deal (crm.deal.update: ${portalSaid(moved.status, moved.body)})`,
    };

  const started = Date.now();
  const timeoutMs = scenario.timeoutMs ?? options.timeoutMs;
  let run: RobotRun | undefined;
  while (Date.now() - started < timeoutMs) {
    await emulator.control("POST", "events/idle", {});
    run = (await runsOf(emulator, memberId, clientId, scenario.robot, deal)).find((r) => !seen.has(r.ID));
    if (!run && Date.now() - started >= START_MS)
      return cannotRun(`no run of ${scenario.robot} started when the deal entered ${scenario.stage}`);
    if (run && run.STATUS !== "running") break;
    await sleep(150);
  }
  if (!run || run.STATUS === "running")
    return { verdict: "fails", summary: `timeout: the robot did not complete within ${timeoutMs / 1000} s` };
  const log = (run.LOG ?? []).join(" / ").slice(0, 300);
  if (run.STATUS !== "completed")
    return { verdict: "fails", summary: `the robot's run ended ${run.STATUS}${log ? ` (${log})` : ""}` };
  const returned = run.RETURN_VALUES ?? {};
  for (const [key, pattern] of Object.entries(scenario.expect?.returnValues ?? {})) {
    const value = returned[key];
    const text = value === undefined || value === null ? "" : String(value);
    if (value === undefined || !new RegExp(pattern).test(text))
      return {
        verdict: "fails",
        summary: `the robot returned ${key} = ${value === undefined ? "nothing" : JSON.stringify(value)}, not /${pattern}/`,
      };
  }
  const values = Object.entries(returned)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  return { verdict: "works", summary: `completed${values ? ` (${values.slice(0, 160)})` : ""}` };
}
