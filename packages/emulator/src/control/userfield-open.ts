import { type LegacyCode, legacyEntity } from "../methods/crm/crm-entities.js";
import { canAccess } from "../methods/crm/crm-rights.js";
import {
  isAppType,
  UF_ENTITY_ID,
  type UserFieldRecord,
  userFieldByName,
} from "../methods/crm/crm-userfields.js";
import { userFieldApp, userFieldMode, userFieldOptions } from "../portal-ui/userfield-frames.js";
import type { Installation, Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import type { Body } from "./control-request.js";

/** What `placements/open` hands FrameSessions.open for a field's frame, or why the portal would not show it. */
export type UserFieldOpen =
  | { installation: Installation; handler: string; options: Body; title: string }
  | { status: 400 | 403 | 404; message: string };

function fieldOf(portal: Portal, name: string, entityId: unknown): [LegacyCode, UserFieldRecord] | undefined {
  for (const [code, id] of Object.entries(UF_ENTITY_ID) as Array<[LegacyCode, string]>) {
    if (entityId !== undefined && entityId !== id) continue;
    const field = userFieldByName(portal, id, name);
    if (field) return [code, field];
  }
  return undefined;
}

/**
 * The USERFIELD_TYPE frame of a CRM record's field as the card shows it to `user`
 * (portal-ui/userfield-frames.ts; api-reference/widgets/user-field/index.md): the app's type
 * handler, the documented PLACEMENT_OPTIONS, and MODE `edit` only when asked and the user may
 * change the record (else `view`). `given`: FIELD_NAME, ENTITY_VALUE_ID, MODE, ENTITY_ID (optional).
 */
export function openUserField(
  world: World,
  portal: Portal,
  user: PortalUser,
  clientId: string,
  given: Body,
): UserFieldOpen {
  const name = typeof given.FIELD_NAME === "string" ? given.FIELD_NAME : "";
  const id = Number(given.ENTITY_VALUE_ID);
  if (!name || !Number.isInteger(id) || id <= 0)
    return { status: 400, message: "USERFIELD_TYPE needs options FIELD_NAME and ENTITY_VALUE_ID" };
  const found = fieldOf(portal, name, given.ENTITY_ID);
  if (!found) return { status: 404, message: `No user field ${name} on this portal` };
  const [code, field] = found;
  if (!isAppType(field.USER_TYPE_ID))
    return { status: 400, message: `${name} is of the built-in type ${field.USER_TYPE_ID}, not an app's` };
  const app = userFieldApp(world, portal, user, field);
  if ("problem" in app) return { status: app.status, message: app.problem };
  if (app.type.CLIENT_ID !== clientId)
    return { status: 404, message: `The type of ${name} belongs to another app` };
  const entity = legacyEntity(code);
  const row = portal.table(entity.table).get(id);
  if (!row) return { status: 404, message: `${entity.typeName} ${id} was not found.` };
  if (!canAccess(user, entity.entityTypeId, row))
    return { status: 403, message: `You do not have access to this ${entity.typeName.toLowerCase()}.` };
  const mode = userFieldMode(user, code, row, field, given.MODE === "edit" ? "edit" : "view");
  return {
    installation: app.installation,
    handler: app.type.HANDLER,
    options: userFieldOptions(code, row, field, mode),
    title: app.type.TITLE || app.type.USER_TYPE_ID,
  };
}
