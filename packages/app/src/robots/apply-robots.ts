import type { MethodCaller } from "@b24kit/rest";
import type { ManifestRobot } from "../manifest/app-manifest.js";
import { type BindingFailure, noteRefusal } from "../manifest/binding-attempt.js";

/** What reconciling the robots adds to the apply report. */
export interface RobotApplyResult {
  bound: string[];
  unbound: string[];
  kept: string[];
  failed: BindingFailure[];
}

const DOCUMENT_CLASS = {
  deal: "CCrmDocumentDeal",
  lead: "CCrmDocumentLead",
  contact: "CCrmDocumentContact",
  company: "CCrmDocumentCompany",
} as const;

type Property = ManifestRobot["properties"][string];

/** A manifest property as the portal takes it: keys capitalised, Y/N flags (bizproc-robot-add.md "PROPERTY"). */
function propertyParams(property: Property): Record<string, unknown> {
  return {
    Name: property.name,
    Type: property.type,
    ...(property.description ? { Description: property.description } : {}),
    ...(property.options ? { Options: property.options } : {}),
    ...(property.required !== undefined ? { Required: property.required ? "Y" : "N" } : {}),
    ...(property.multiple !== undefined ? { Multiple: property.multiple ? "Y" : "N" } : {}),
    ...(property.default !== undefined ? { Default: property.default } : {}),
  };
}

const properties = (map: Record<string, Property>) =>
  Object.fromEntries(Object.entries(map).map(([code, p]) => [code, propertyParams(p)]));

/** bizproc.robot.add's fields for a manifest robot (CODE aside: update takes it outside FIELDS). */
export function robotFields(robot: ManifestRobot, handler: string): Record<string, unknown> {
  return {
    HANDLER: handler,
    NAME: robot.name,
    ...(robot.description ? { DESCRIPTION: robot.description } : {}),
    USE_SUBSCRIPTION: robot.waitForAnswer ? "Y" : "N",
    PROPERTIES: properties(robot.properties),
    RETURN_PROPERTIES: properties(robot.returnProperties),
    ...(robot.authUserId ? { AUTH_USER_ID: robot.authUserId } : {}),
    ...(robot.documents
      ? { FILTER: { INCLUDE: robot.documents.map((d) => ["crm", DOCUMENT_CLASS[d]]) } }
      : {}),
  };
}

/**
 * Makes the app's robots on the portal match the manifest: adds the missing
 * ones, updates the present ones to the manifest's fields (the portal keeps
 * their placements on stages), deletes those the manifest no longer has. The
 * portal lists only this app's robots, so nothing else is touched. Refusals
 * (no bizproc scope, automation off) go to `failed`.
 */
export async function applyRobots(
  client: MethodCaller,
  robots: readonly ManifestRobot[],
  handler: string,
): Promise<RobotApplyResult> {
  const out: RobotApplyResult = { bound: [], unbound: [], kept: [], failed: [] };
  let existing: string[];
  try {
    existing = (await client.call<string[]>("bizproc.robot.list")).result ?? [];
  } catch (error) {
    for (const robot of robots) noteRefusal(out.failed, `robot ${robot.code}`, error);
    return out;
  }
  const wanted = new Set(robots.map((r) => r.code));
  for (const code of existing) {
    if (wanted.has(code)) continue;
    try {
      await client.call("bizproc.robot.delete", { CODE: code });
      out.unbound.push(`robot ${code}`);
    } catch (error) {
      noteRefusal(out.failed, `robot ${code}`, error);
    }
  }
  for (const robot of robots) {
    const fields = robotFields(robot, handler);
    try {
      if (existing.includes(robot.code)) {
        await client.call("bizproc.robot.update", { CODE: robot.code, FIELDS: fields });
        out.kept.push(`robot ${robot.code}`);
      } else {
        await client.call("bizproc.robot.add", { CODE: robot.code, ...fields });
        out.bound.push(`robot ${robot.code}`);
      }
    } catch (error) {
      noteRefusal(out.failed, `robot ${robot.code}`, error);
    }
  }
  return out;
}
