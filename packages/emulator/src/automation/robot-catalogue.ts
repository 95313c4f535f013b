import type { Portal } from "../state/portal.js";
import { type AutomatedEntity, documentType } from "./automation-rules.js";
import { type RobotRecord, robotsOf } from "./robot-records.js";

/**
 * The robots an admin may place on a record type's stages: those of installed
 * apps whose FILTER admits the document type (a rule is 'b24', 'box' or a
 * document type, whole or its first parts: bizproc-robot-add.md "FILTER").
 */
export function robotCatalogue(portal: Portal, entity: AutomatedEntity): RobotRecord[] {
  const type = documentType(entity);
  return robotsOf(portal).filter((robot) => {
    if (!portal.installations.get(robot.CLIENT_ID)?.installed) return false;
    const include = robot.FILTER?.INCLUDE;
    const exclude = robot.FILTER?.EXCLUDE ?? [];
    if (include && include.length > 0 && !include.some((rule) => admits(rule, type))) return false;
    return !exclude.some((rule) => admits(rule, type));
  });
}

function admits(rule: unknown, type: readonly string[]): boolean {
  // This portal is a cloud one.
  if (typeof rule === "string") return rule === "b24";
  if (!Array.isArray(rule) || rule.length === 0) return false;
  return rule.every((part, i) => String(part).toLowerCase() === String(type[i] ?? "").toLowerCase());
}
