import type { Portal } from "./portal.js";

/** The portal's automation as the REST executor sees it (automation/automation-engine.ts implements it). */
export interface AutomationPort {
  /** A CRM record was written: robots placed on the stage it has moved to run now. */
  recordWritten(portal: Portal, entity: string, id: number): void;
}
