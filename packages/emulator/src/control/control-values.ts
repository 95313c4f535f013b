import { z } from "zod";
import { MODULES, type ModuleId, PLANS, type PlanId } from "../state/plans.js";

/**
 * The values control-API bodies take, each refusing what it cannot use with
 * words that say what it takes. Numbers may come as numeric strings too (a form
 * body, a query string, a hand-written curl), as they always could.
 */
export function numeric<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
    schema,
  );
}

/** A user's id on a portal (1 is the admin). */
export const userId = numeric(
  z.number().int("a user id is a whole number").positive("a user id is 1 or more"),
);

/** How many of something: a whole number from 0. */
export const count = numeric(z.number().int("a whole number").min(0, "a whole number from 0"));

/** A duration or a cost: any number from 0. */
export const nonNegative = numeric(z.number().min(0, "a number from 0"));

/** An HTTP status a fault or a setting answers with. */
export const httpStatus = numeric(z.number().int().min(100).max(599, "an HTTP status from 100 to 599"));

/** Where the portal sends someone: an absolute http:// or https:// URL (an app's page, handler or redirect). */
export const httpUrl = z.string().refine((value) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, "an absolute http:// or https:// URL");

export const planId = z.enum(Object.keys(PLANS) as [PlanId, ...PlanId[]]);

export const moduleList = z.array(z.enum(MODULES as unknown as [ModuleId, ...ModuleId[]]));

/** Scope codes: a list, or one string separated by commas or spaces (as `POST apps` always took). */
export const scopeList = z.union(
  [z.array(z.string().min(1)), z.string()],
  "a list of scope codes or one comma-separated string",
);

/** Free-form data handed on as it is (placement options, REST parameters, chat attachments). */
export const jsonObject = z.record(z.string(), z.unknown(), "a JSON object");

/** Routes that take no body: an empty object (or none), so that a misplaced field is not ignored. */
export const noBody = z.object({}).strict();
