import { isModuleId, isPlanId, MODULES, type ModuleId, type PlanId } from "../state/plans.js";
import type { PortalUser } from "../state/user.js";

export interface PortalInput {
  plan?: PlanId;
  modules?: ModuleId[];
  users?: Array<Partial<PortalUser>>;
}

/** Validates `POST portals {plan?, modules?, users?}`; returns an error message when invalid. */
export function parsePortalInput(body: Record<string, unknown>): PortalInput | string {
  const input: PortalInput = {};
  if (body.plan !== undefined) {
    if (!isPlanId(body.plan)) return "plan must be one of free, basic, standard, professional, enterprise";
    input.plan = body.plan;
  }
  if (body.modules !== undefined) {
    if (!Array.isArray(body.modules) || !body.modules.every(isModuleId)) {
      return `modules must be a subset of ${MODULES.join(", ")}`;
    }
    input.modules = body.modules;
  }
  if (body.users !== undefined) {
    if (!Array.isArray(body.users)) return "users must be an array of user objects";
    input.users = body.users as Array<Partial<PortalUser>>;
  }
  return input;
}
