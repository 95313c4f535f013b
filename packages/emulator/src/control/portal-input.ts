import { z } from "zod";
import type { ModuleId, PlanId } from "../state/plans.js";
import type { PortalUser } from "../state/user.js";
import { moduleList, nonNegative, numeric, planId, userId } from "./control-values.js";
import { userFields } from "./people-input.js";

export interface PortalInput {
  plan?: PlanId;
  modules?: ModuleId[];
  users?: Array<Partial<PortalUser>>;
}

/** `POST portals {plan?, modules?, users?}`. */
export const newPortalBody = z
  .object({ plan: planId, modules: moduleList, users: z.array(userFields, "a list of user objects") })
  .partial()
  .strict();

const positive = numeric(z.number().positive("a number above 0"));

/** `PATCH portals/{m}` (README, Control API): every field optional, none unknown. */
export const portalPatchBody = z
  .object({
    plan: planId,
    modules: moduleList,
    features: z.record(z.string(), z.boolean(), "feature codes each true or false"),
    operatingLimitSeconds: positive,
    bucket: z.object({ burst: positive, drainPerSecond: positive }).strict().nullable(),
    latency: z.record(
      z.string().min(1),
      z
        .object({ baseMs: nonNegative, perRowMs: nonNegative, perScannedRowMs: nonNegative })
        .partial()
        .strict(),
      'a rule per method: {"crm.deal.list": {baseMs, perRowMs, perScannedRowMs}, "*": {…}}',
    ),
    requestLatencyMs: nonNegative,
    uiUserId: userId,
  })
  .partial()
  .strict();
