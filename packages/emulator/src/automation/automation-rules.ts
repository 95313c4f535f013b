import type { Portal } from "../state/portal.js";

/*
 * Where an admin put robots: one row per robot placed on a stage of a CRM
 * entity's automation ("Sales automation" at /crm/deal/automation/{category}/),
 * with the values the admin gave its properties.
 */

const RULES = "bizproc_rules";

/** CRM entities with automation here, and the field that holds their stage. */
export const AUTOMATED = {
  DEAL: {
    code: "deal",
    stageField: "STAGE_ID",
    documentClass: "CCrmDocumentDeal",
    title: "Sales automation",
    // The general pipeline's stages, in order.
    stages: ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"],
  },
  LEAD: {
    code: "lead",
    stageField: "STATUS_ID",
    documentClass: "CCrmDocumentLead",
    title: "Lead automation",
    stages: ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"],
  },
} as const;

/** The entity of a portal path's CRM code (`deal` → DEAL), for the entities with automation. */
export function automatedEntity(code: string): AutomatedEntity | undefined {
  const upper = code.toUpperCase();
  return Object.hasOwn(AUTOMATED, upper) ? (upper as AutomatedEntity) : undefined;
}
export type AutomatedEntity = keyof typeof AUTOMATED;

export interface AutomationRule {
  ID: number;
  ENTITY: AutomatedEntity;
  CATEGORY_ID: number;
  STAGE_ID: string;
  CLIENT_ID: string;
  CODE: string;
  /** Property code → the value the admin set (or the robot's Default). */
  VALUES: Record<string, unknown>;
  CREATED_BY: number;
}

export function rulesOf(portal: Portal, entity: AutomatedEntity, categoryId?: number): AutomationRule[] {
  return portal
    .table(RULES)
    .all()
    .map((row) => row as unknown as AutomationRule)
    .filter((r) => r.ENTITY === entity && (categoryId === undefined || r.CATEGORY_ID === categoryId))
    .sort((a, b) => a.ID - b.ID);
}

export function addRule(portal: Portal, rule: Omit<AutomationRule, "ID">): AutomationRule {
  return portal.table(RULES).insert(rule) as unknown as AutomationRule;
}

export function deleteRule(portal: Portal, id: number): boolean {
  return portal.table(RULES).delete(id);
}

/** `["crm", "CCrmDocumentDeal", "DEAL_42"]` (api-reference/bizproc/bizproc-workflow-start.md). */
export function documentId(entity: AutomatedEntity, id: number): [string, string, string] {
  return ["crm", AUTOMATED[entity].documentClass, `${entity}_${id}`];
}

export function documentType(entity: AutomatedEntity): [string, string, string] {
  return ["crm", AUTOMATED[entity].documentClass, entity];
}
