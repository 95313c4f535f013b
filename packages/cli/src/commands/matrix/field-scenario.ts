import type { EmulatorHandle } from "@b24kit/emulator";
import { controlTry, type PortalAnswer, portalSaid } from "./cell-portal.js";
import { type FrameOutcome, runFrameScenario } from "./frame-scenario.js";
import type { FieldScenario } from "./scenarios.js";

/** The name of the portal's deal field of `typeId`, made (as the portal's admin) when it has none. */
async function dealFieldOf(
  emulator: EmulatorHandle,
  memberId: string,
  typeId: string,
  code: string,
): Promise<{ name: string } | { refused: string }> {
  const asPortal = (method: string, params: Record<string, unknown>) =>
    controlTry<PortalAnswer & { result?: unknown }>(emulator, "POST", `portals/${memberId}/automation`, {
      method,
      params,
    });
  const listed = await asPortal("crm.deal.userfield.list", { filter: { USER_TYPE_ID: typeId } });
  if (listed.status >= 400) return { refused: portalSaid(listed.status, listed.body) };
  const existing = (
    listed.body.result as Array<{ FIELD_NAME: string; USER_TYPE_ID: string }> | undefined
  )?.find((f) => f.USER_TYPE_ID === typeId);
  if (existing) return { name: existing.FIELD_NAME };
  const name = `UF_CRM_MATRIX_${code.toUpperCase()}`;
  const added = await asPortal("crm.deal.userfield.add", {
    fields: { FIELD_NAME: name, USER_TYPE_ID: typeId, EDIT_FORM_LABEL: { en: code } },
  });
  return added.status >= 400 ? { refused: portalSaid(added.status, added.body) } : { name };
}

/**
 * A deal field of the app's type, opened as the portal's card opens it for the cell's user (control
 * API `placements/open` with USERFIELD_TYPE: the type's handler and PLACEMENT_OPTIONS, MODE `view`
 * for a user who may not change the deal), the field made once per portal as its admin. A type the
 * portal does not have (the app could not register it) is skipped like an absent placement; the
 * app's answer is judged as a placement's (page-verdict.ts); the summary names the MODE shown.
 */
export async function runFieldScenario(
  emulator: EmulatorHandle,
  target: { memberId: string; clientId: string; userId: number; deal: string },
  scenario: FieldScenario,
  timeoutMs: number,
): Promise<FrameOutcome> {
  const { memberId, clientId } = target;
  const app = await emulator.control<{ id: number }>("GET", `apps/${encodeURIComponent(clientId)}`);
  const typeId = `rest_${app.id}_${scenario.fieldType}`;
  const field = await dealFieldOf(emulator, memberId, typeId, scenario.fieldType);
  if ("refused" in field)
    return {
      verdict: "skipped",
      summary: `the portal has no field of the app's type ${scenario.fieldType} (${field.refused})`,
    };
  const asked = scenario.mode ?? "view";
  const outcome = await runFrameScenario(
    emulator,
    target,
    {
      kind: "placement",
      name: scenario.name,
      placement: "USERFIELD_TYPE",
      options: { FIELD_NAME: field.name, ENTITY_VALUE_ID: target.deal, MODE: asked },
    },
    timeoutMs,
  );
  if (!outcome.mode) return outcome;
  const shown =
    outcome.mode === asked
      ? `MODE ${asked}`
      : `MODE ${outcome.mode} (${asked} asked: the user may not change the deal)`;
  return { ...outcome, summary: `${outcome.summary}, ${shown}` };
}
