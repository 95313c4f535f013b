/**
 * What a user may do with CRM records of one entity type: any record, only their own, none, or read
 * any record and change none (a role with read rights only).
 */
export type CrmAccess = "all" | "own" | "none" | "read";

export interface PortalUser {
  ID: number;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
  WORK_POSITION: string;
  /** City of residence (user.get's example filters by it); empty when not given. */
  PERSONAL_CITY?: string;
  PERSONAL_GENDER: "M" | "F" | "";
  TIME_ZONE: string;
  UF_DEPARTMENT: number[];
  USER_TYPE: "employee" | "extranet";
  ADMIN: boolean;
  /** Per CRM entityTypeId ("1" lead, "2" deal, …); absent means "all". */
  crmRights: Record<string, CrmAccess>;
  /** A chat bot's user (imbot.register): not listed by user.get/user.search. */
  IS_BOT?: boolean;
  /** Unix ms the user was added (DATE_REGISTER). */
  registeredAtMs?: number;
}

export function newUser(id: number, init: Partial<PortalUser> = {}): PortalUser {
  return {
    ID: id,
    ACTIVE: true,
    NAME: init.NAME ?? (id === 1 ? "Admin" : `User${id}`),
    LAST_NAME: init.LAST_NAME ?? (id === 1 ? "Portal" : "Employee"),
    EMAIL: init.EMAIL ?? `user${id}@example.test`,
    WORK_POSITION: init.WORK_POSITION ?? (id === 1 ? "Administrator" : "Manager"),
    PERSONAL_GENDER: init.PERSONAL_GENDER ?? "",
    TIME_ZONE: init.TIME_ZONE ?? "",
    UF_DEPARTMENT: init.UF_DEPARTMENT ?? [1],
    USER_TYPE: init.USER_TYPE ?? "employee",
    ADMIN: init.ADMIN ?? id === 1,
    crmRights: init.crmRights ?? {},
    registeredAtMs: init.registeredAtMs ?? Date.now(),
    ...(init.PERSONAL_CITY ? { PERSONAL_CITY: init.PERSONAL_CITY } : {}),
    ...(init.ACTIVE === undefined ? {} : { ACTIVE: init.ACTIVE }),
    ...(init.IS_BOT ? { IS_BOT: true } : {}),
  };
}
