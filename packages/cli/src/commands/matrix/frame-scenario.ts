import type { EmulatorHandle } from "@b24kit/emulator";
import { controlTry } from "./cell-portal.js";
import { pageVerdict } from "./page-verdict.js";
import type { Verdict } from "./results.js";
import type { PageScenario, PlacementScenario } from "./scenarios.js";

export interface FrameOutcome {
  verdict: Verdict;
  summary: string;
  notice?: string;
  answer?: string;
  /** A USERFIELD_TYPE frame: the MODE the portal gave it. */
  mode?: "view" | "edit";
}

interface OpenRequest {
  url: string;
  fields: Record<string, string>;
}

/** MODE of the frame's PLACEMENT_OPTIONS (a USERFIELD_TYPE frame's), when it has one. */
function modeOf(fields: Record<string, string>): "view" | "edit" | undefined {
  try {
    const mode = (JSON.parse(fields.PLACEMENT_OPTIONS ?? "{}") as { MODE?: unknown }).MODE;
    return mode === "view" || mode === "edit" ? mode : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A placement or the app's page opened by the cell's user: the portal's own request (control API
 * `placements/open` or `apps/{clientId}/open`), POSTed to the app as the portal's frame would, and the
 * app's answer judged (page-verdict.ts). A placement the portal does not have for the app (its module
 * is off, the plan refused the binding) or does not show this user is skipped.
 */
export async function runFrameScenario(
  emulator: EmulatorHandle,
  target: { memberId: string; clientId: string; userId: number },
  scenario: PlacementScenario | PageScenario,
  timeoutMs: number,
): Promise<FrameOutcome> {
  const { memberId, clientId, userId } = target;
  const opened =
    scenario.kind === "placement"
      ? await controlTry<OpenRequest & { error?: string; message?: string }>(
          emulator,
          "POST",
          `portals/${memberId}/placements/open`,
          {
            clientId,
            placement: scenario.placement,
            userId,
            ...(scenario.options ? { options: scenario.options } : {}),
          },
        )
      : await controlTry<OpenRequest & { error?: string; message?: string }>(
          emulator,
          "POST",
          `portals/${memberId}/apps/${clientId}/open`,
          { userId, ...(scenario.options ? { options: scenario.options } : {}) },
        );
  const why = String(opened.body.message ?? opened.body.error ?? "").slice(0, 200);
  if (opened.status === 404)
    return {
      verdict: "skipped",
      summary: `the portal has no ${scenario.kind === "placement" ? scenario.placement : "page"} of the app (${why || "not bound"})`,
    };
  if (opened.status === 403)
    return {
      verdict: "skipped",
      summary: `the portal does not show it to this user (${why || "no access"})`,
    };
  if (opened.status >= 400)
    return { verdict: "fails", summary: `the portal could not open it: HTTP ${opened.status} ${why}` };
  let res: Response;
  try {
    res = await fetch(opened.body.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(opened.body.fields).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      verdict: "fails",
      summary: timedOut
        ? `timeout: no answer within ${timeoutMs / 1000} s`
        : `no answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const body = await res.text();
  const judged = pageVerdict(res.status, body);
  const mode = modeOf(opened.body.fields);
  return {
    ...judged,
    ...(mode ? { mode } : {}),
    ...(judged.verdict === "fails" ? { answer: body.slice(0, 1000) } : {}),
  };
}
