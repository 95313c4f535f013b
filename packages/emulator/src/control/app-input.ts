import { z } from "zod";
import { httpUrl, jsonObject, numeric, scopeList, userId } from "./control-values.js";

const version = numeric(z.number().int("a whole number").positive("1 or more"));
const clientId = z.string("the app's client id").min(1, "the app's client id");

/** `POST apps`: an app as its vendor registers it (state/app-registry.ts AppInit). */
export const newAppBody = z
  .object({
    scopes: scopeList,
    ...z
      .object({
        name: z.string(),
        code: z.string().min(1),
        appUrl: httpUrl,
        installUrl: httpUrl,
        installHandlerUrl: httpUrl,
        redirectUrl: httpUrl,
        placements: z.array(z.unknown()),
        version,
        local: z.boolean(),
      })
      .partial().shape,
  })
  .strict();

/** `POST portals/{m}/install {clientId, userId?}`. */
export const installBody = z.object({ clientId, userId: userId.optional() }).strict();

/** `PATCH portals/{m}/apps/{c}`: app.info's STATUS alphabet (docs/protocol.md §10). */
export const installationPatchBody = z
  .object({
    paymentRequired: z.boolean(),
    status: z.enum(["F", "D", "T", "P", "L", "S"]),
    installed: z.boolean(),
  })
  .partial()
  .strict();

/** `POST portals/{m}/apps/{c}/tokens {userId?}`. */
export const tokensBody = z.object({ userId }).partial().strict();

/** `POST portals/{m}/apps/{c}/open {userId?, options?}`. */
export const openAppBody = z.object({ userId, options: jsonObject }).partial().strict();

/**
 * `POST portals/{m}/placements/open {clientId, placement, options?, userId?, uri?}`. For
 * `USERFIELD_TYPE` the options name the field: `{FIELD_NAME, ENTITY_VALUE_ID, MODE?, ENTITY_ID?}`.
 */
export const openPlacementBody = z
  .object({
    clientId,
    placement: z.string("a placement code, e.g. CRM_DEAL_DETAIL_TAB").min(1),
    options: jsonObject.optional(),
    userId: userId.optional(),
    uri: z.string().optional(),
  })
  .strict();

/** `POST portals/{m}/apps/{c}/update {version?, userId?}`. */
export const updateBody = z.object({ version, userId }).partial().strict();

/** `clean` of an uninstall, in the body or the query: yes/no as a portal's forms write it. */
const flag = z
  .union(
    [z.boolean(), z.literal(0), z.literal(1), z.enum(["0", "1", "y", "n", "Y", "N", "true", "false"])],
    "true or false (1/0, Y/N)",
  )
  .transform((v) => v === true || v === 1 || ["1", "y", "Y", "true"].includes(String(v)));

export const uninstallBody = z.object({ clean: flag }).partial().strict();
export const uninstallQuery = z.object({ clean: flag }).partial().strict();

/** `GET portals/{m}/deliveries?clientId=&event=`: which deliveries to list. */
export const deliveriesQuery = z.object({ clientId: z.string(), event: z.string() }).partial().strict();

/** `POST portals/{m}/automation {method, params?}`: a REST call as the portal itself. */
export const automationBody = z
  .object({
    method: z.string("a REST method name").min(1, "a REST method name"),
    params: jsonObject.optional(),
  })
  .strict();
