import { z } from "zod";
import { nonNegative } from "./control-values.js";

/** `POST clock {advanceSeconds?, freeze?}`: time only moves forward; `freeze: false` lets it run again. */
export const clockBody = z.object({ advanceSeconds: nonNegative, freeze: z.boolean() }).partial().strict();
