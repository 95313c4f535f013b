import type { Row } from "../../state/table.js";
import type { CrmAccess, PortalUser } from "../../state/user.js";

/**
 * CRM record rights, a simplification of the portal's role model: admins see
 * everything; others have one level per entity type ("all" when unset):
 * "own" = only records they are responsible for (ASSIGNED_BY_ID), "none" = no
 * access to that type at all, "read" = reads every record, adds and changes none.
 * Otherwise the same level governs reading and writing.
 */

export function accessLevel(user: PortalUser, entityTypeId: number): CrmAccess {
  if (user.ADMIN) return "all";
  return user.crmRights[String(entityTypeId)] ?? "all";
}

/** May the user read or change this record? */
export function canAccess(user: PortalUser, entityTypeId: number, row: Row): boolean {
  const level = accessLevel(user, entityTypeId);
  return level === "all" || level === "read" || (level === "own" && row.ASSIGNED_BY_ID === user.ID);
}

/** May the user change (update, delete) this record? */
export function canChange(user: PortalUser, entityTypeId: number, row: Row): boolean {
  return accessLevel(user, entityTypeId) !== "read" && canAccess(user, entityTypeId, row);
}

/** May the user create records of this type? ("own" may: the record is theirs by default.) */
export function canAdd(user: PortalUser, entityTypeId: number): boolean {
  const level = accessLevel(user, entityTypeId);
  return level !== "none" && level !== "read";
}

/** The `visible` predicate for pageRows; undefined when every row is visible. */
export function visibleRows(user: PortalUser, entityTypeId: number): ((row: Row) => boolean) | undefined {
  const level = accessLevel(user, entityTypeId);
  if (level === "all" || level === "read") return undefined;
  if (level === "none") return () => false;
  return (row) => row.ASSIGNED_BY_ID === user.ID;
}
