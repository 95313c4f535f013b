import { control } from "@b24kit/emulator/testing";
import type { Caller, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";

/** What the CRM page fixtures share: a caller without access, record makers, recurring shapes. */

/** A portal user's webhook with the crm scope; `denyType` takes away their access to one entity type. */
export const RESTRICTED: Caller = { user: ["crm"] };

/** Makes RESTRICTED a user without any access to `entityTypeId` (the role model's "none"). */
export async function denyType(ctx: PageContext, entityTypeId: number): Promise<void> {
  const me = await ctx.call("profile", {}, RESTRICTED);
  const id = me.body.result?.ID;
  if (!id) throw new Error(`profile answered ${JSON.stringify(me.body)}`);
  await control(ctx.emu).request("PATCH", `portals/${ctx.portal.memberId}/users/${id}`, {
    crmRights: { [String(entityTypeId)]: "none" },
  });
}

/** Calls a documented method in `setup` and returns its result, failing loudly on an error. */
export async function made(ctx: PageContext, method: string, params: Record<string, unknown>): Promise<any> {
  const reply = await ctx.call(method, params);
  if (reply.status !== 200 || reply.body.error !== undefined)
    throw new Error(`${method} failed in setup: ${JSON.stringify(reply.body)}`);
  return reply.body.result;
}

/** A record id no portal has. */
export const MISSING_ID = 987_654;

/** The classic multi-field entry (crm-lead-get.md's PHONE and IM). */
export const MULTI_ENTRY: Shape = { ID: "digits", VALUE_TYPE: "string", VALUE: "string", TYPE_ID: "string" };

/** crm.item's `fm` entry (crm-item-get.md). */
export const FM_ENTRY: Shape = { id: "number", valueType: "string", value: "string", typeId: "string" };

const DESCRIPTION = {
  type: "string",
  isRequired: "boolean",
  isReadOnly: "boolean",
  isImmutable: "boolean",
  isMultiple: "boolean",
  isDynamic: "boolean",
  title: "string",
};

/** A field description as the fields pages show it; `extra` adds statusType, settings, isDeprecated, upperName…. */
export function field(extra: Record<string, Shape> = {}): Shape {
  return { ...DESCRIPTION, ...extra };
}

export const STATUS_FIELD = field({ statusType: "string" });
export const LINK_FIELD = field({ settings: { parentEntityTypeId: "number" } });
export const DEPRECATED_FIELD = field({ isDeprecated: "boolean" });

/** `{NAME: field()}` for each name, with the listed exceptions. */
export function fields(names: string, special: Record<string, Shape> = {}): Record<string, Shape> {
  const out: Record<string, Shape> = {};
  for (const name of names.split(/\s+/).filter(Boolean)) out[name] = special[name] ?? field();
  return out;
}

/** `{KEY: shape}` for each of the space-separated keys. */
export function keys(names: string, shape: Shape): Record<string, Shape> {
  return Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((k) => [k, shape]),
  );
}
