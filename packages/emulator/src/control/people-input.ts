import { z } from "zod";
import type { PortalUser } from "../state/user.js";
import { count, numeric, userId } from "./control-values.js";

const text = z.string("text");

/** A user's fields as `POST portals` (users), `POST portals/{m}/users` and `PATCH …/users/{id}` take them. */
export const userFields = z
  .object({
    ID: userId,
    ACTIVE: z.boolean(),
    NAME: text,
    LAST_NAME: text,
    EMAIL: text,
    WORK_POSITION: text,
    PERSONAL_CITY: text,
    PERSONAL_GENDER: z.enum(["M", "F", ""]),
    TIME_ZONE: text,
    UF_DEPARTMENT: z.array(numeric(z.number().int().positive()), "a list of department ids"),
    USER_TYPE: z.enum(["employee", "extranet"]),
    ADMIN: z.boolean(),
    crmRights: z.record(
      z.string().regex(/^\d+$/, "an entity type id (1 lead, 2 deal, 3 contact, 4 company, …)"),
      z.enum(["all", "own", "none", "read"]),
    ),
    IS_BOT: z.boolean(),
    registeredAtMs: numeric(z.number().int().min(0)),
  } satisfies { [K in keyof PortalUser]-?: z.ZodType })
  .partial()
  .strict();

/** `POST portals/{m}/users`: a user, and the scopes of the webhook made for them (default: every scope). */
export const newUserBody = userFields
  .extend({ webhookScopes: z.array(z.string().min(1)) })
  .partial()
  .strict();

/** `POST portals/{m}/webhooks`. */
export const newWebhookBody = z
  .object({ userId, scopes: z.array(z.string().min(1), "a list of scope codes"), expiresInSeconds: count })
  .partial()
  .strict();
