import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { handlerUrlProblem } from "../placements/handler-url.js";
import type { Row } from "../state/table.js";

/*
 * Custom field types (api-reference/widgets/user-field/): an app registers a
 * type whose fields its USERFIELD_TYPE frame renders in CRM cards. The type's
 * full code on the portal is `rest_<app id>_<USER_TYPE_ID>` (at most 50
 * characters), which crm.*.userfield.add takes as USER_TYPE_ID.
 */

const TYPES = "userfield_types";
const MAX_FULL_CODE = 50;

export interface UserFieldTypeRecord {
  ID: number;
  CLIENT_ID: string;
  /** The app's id on the portal (app.info ID): part of the full code. */
  APP_ID: number;
  USER_TYPE_ID: string;
  HANDLER: string;
  TITLE: string;
  DESCRIPTION: string;
  /** The frame's height in px; 0: the standard height. */
  HEIGHT: number;
}

export function userFieldTypes(ctx: Pick<CallContext, "portal">): UserFieldTypeRecord[] {
  return ctx.portal
    .table(TYPES)
    .all()
    .map((row) => row as unknown as UserFieldTypeRecord)
    .sort((a, b) => a.ID - b.ID);
}

/** `rest_12_deal_health`: how crm.*.userfield.add names the type. */
export function fullTypeCode(type: Pick<UserFieldTypeRecord, "APP_ID" | "USER_TYPE_ID">): string {
  return `rest_${type.APP_ID}_${type.USER_TYPE_ID}`;
}

const argument = (name: string) =>
  new RestError(400, "ERROR_ARGUMENT", `Argument '${name}' is null or empty`);
const notFound = () => new RestError(400, "ERROR_NOT_FOUND", "User Field Type not found");
const handlerTaken = () =>
  new RestError(400, "ERROR_CORE", "Unable to set placement handler: Handler already binded");

function text(ctx: CallContext, name: string): string {
  const value = param(ctx.params, name);
  return typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
}

function owner(ctx: CallContext): { clientId: string; appId: number } {
  const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : undefined;
  const app = clientId ? ctx.world.apps.get(clientId) : undefined;
  // appOnly turns webhooks away first; an OAuth caller always has its app.
  if (!clientId || !app) throw new RestError(403, "WRONG_AUTH_TYPE", "Application context required");
  return { clientId, appId: app.id };
}

function typeCode(ctx: CallContext, appId: number): string {
  const code = text(ctx, "USER_TYPE_ID");
  if (!code) throw argument("USER_TYPE_ID");
  // The page says a-z0-9; its own examples use underscores (test_type, phone_data): both pass.
  if (
    !/^[a-z0-9_]+$/.test(code) ||
    fullTypeCode({ APP_ID: appId, USER_TYPE_ID: code }).length > MAX_FULL_CODE
  )
    throw new RestError(400, "ERROR_ARGUMENT", "Argument 'USER_TYPE_ID' is invalid");
  return code;
}

function handler(ctx: CallContext): string {
  const url = text(ctx, "HANDLER");
  if (!url) throw argument("HANDLER");
  const problem = handlerUrlProblem(url, ctx.world.settings.requireHttpsHandlers);
  if (problem) throw new RestError(400, problem.code, problem.description);
  return url;
}

function height(ctx: CallContext): number {
  const raw = Number(asRecord(param(ctx.params, "OPTIONS")).height ?? 0);
  return Number.isFinite(raw) && raw > 0 ? Math.round(raw) : 0;
}

const typeMethod = (name: string, run: MethodDef["run"]): MethodDef => ({
  name,
  scope: "placement",
  appOnly: true,
  adminOnly: true,
  run,
});

export const userFieldTypeMethods: MethodDef[] = [
  typeMethod("userfieldtype.add", (ctx) => {
    const { clientId, appId } = owner(ctx);
    const code = typeCode(ctx, appId);
    const url = handler(ctx);
    const types = userFieldTypes(ctx);
    // One handler per type of an app, and a code is one app's (userfieldtype-add.md, ERROR_CORE).
    if (
      types.some(
        (t) =>
          (t.CLIENT_ID === clientId && t.HANDLER === url) ||
          fullTypeCode(t) === fullTypeCode({ APP_ID: appId, USER_TYPE_ID: code }),
      )
    )
      throw handlerTaken();
    ctx.portal.table(TYPES).insert({
      CLIENT_ID: clientId,
      APP_ID: appId,
      USER_TYPE_ID: code,
      HANDLER: url,
      TITLE: text(ctx, "TITLE"),
      DESCRIPTION: text(ctx, "DESCRIPTION"),
      HEIGHT: height(ctx),
    });
    ctx.world.onChange();
    return { result: true };
  }),
  typeMethod("userfieldtype.update", (ctx) => {
    const { clientId } = owner(ctx);
    const code = text(ctx, "USER_TYPE_ID");
    if (!code) throw argument("USER_TYPE_ID");
    const type = userFieldTypes(ctx).find((t) => t.CLIENT_ID === clientId && t.USER_TYPE_ID === code);
    if (!type) throw notFound();
    const url = handler(ctx);
    if (userFieldTypes(ctx).some((t) => t.ID !== type.ID && t.CLIENT_ID === clientId && t.HANDLER === url))
      throw handlerTaken();
    const next: UserFieldTypeRecord = {
      ...type,
      HANDLER: url,
      ...(param(ctx.params, "TITLE") !== undefined ? { TITLE: text(ctx, "TITLE") } : {}),
      ...(param(ctx.params, "DESCRIPTION") !== undefined ? { DESCRIPTION: text(ctx, "DESCRIPTION") } : {}),
      ...(param(ctx.params, "OPTIONS") !== undefined ? { HEIGHT: height(ctx) } : {}),
    };
    ctx.portal.table(TYPES).rows.set(type.ID, next as unknown as Row);
    ctx.world.onChange();
    return { result: true };
  }),
  typeMethod("userfieldtype.delete", (ctx) => {
    const { clientId } = owner(ctx);
    const code = text(ctx, "USER_TYPE_ID");
    if (!code) throw argument("USER_TYPE_ID");
    const type = userFieldTypes(ctx).find((t) => t.CLIENT_ID === clientId && t.USER_TYPE_ID === code);
    if (!type) throw notFound();
    ctx.portal.table(TYPES).delete(type.ID);
    ctx.world.onChange();
    return { result: true };
  }),
  typeMethod("userfieldtype.list", (ctx) => {
    const { clientId } = owner(ctx);
    // Newest first, as the page's example lists them.
    const list = userFieldTypes(ctx)
      .filter((t) => t.CLIENT_ID === clientId)
      .reverse()
      .map((t) => ({
        USER_TYPE_ID: t.USER_TYPE_ID,
        HANDLER: t.HANDLER,
        TITLE: t.TITLE,
        DESCRIPTION: t.DESCRIPTION,
      }));
    return { result: list, total: list.length, rows: list.length };
  }),
];
