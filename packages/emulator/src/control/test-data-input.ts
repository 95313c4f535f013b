import { z } from "zod";
import { httpStatus, nonNegative, numeric } from "./control-values.js";

/** More rows than this take the emulator minutes to write: a typo, not a test. */
const MAX_SEEDED = 1_000_000;
const seeded = numeric(z.number().int("a whole number").min(0).max(MAX_SEEDED, `at most ${MAX_SEEDED}`));

/** `POST portals/{m}/seed {deals?, contacts?, companies?, leads?}`. */
export const seedBody = z
  .object({ deals: seeded, contacts: seeded, companies: seeded, leads: seeded })
  .partial()
  .strict();

/** `POST portals/{m}/faults`: which calls fail and how; a fault that does nothing is refused. */
export const faultBody = z
  .object({
    method: z.string().min(1, "a method name, or * for any"),
    count: numeric(z.number().int("a whole number").min(1, "1 or more")),
    status: httpStatus,
    error: z.string().min(1),
    description: z.string(),
    latencyMs: nonNegative,
    drop: z.boolean(),
  })
  .partial()
  .strict()
  .refine(
    (f) => f.status !== undefined || f.error !== undefined || (f.latencyMs ?? 0) > 0 || f.drop === true,
    "a fault needs status/error, latencyMs or drop",
  );
