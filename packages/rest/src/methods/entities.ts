/** Classic CRM records: every scalar arrives as a string (docs/protocol.md §0.3). */
export interface CrmMultiField {
  ID?: string;
  VALUE: string;
  VALUE_TYPE?: string;
  TYPE_ID?: string;
}

export interface CrmDeal {
  ID: string;
  TITLE: string;
  STAGE_ID: string;
  CATEGORY_ID: string;
  CURRENCY_ID: string;
  OPPORTUNITY: string;
  COMPANY_ID: string | null;
  CONTACT_ID: string | null;
  ASSIGNED_BY_ID: string;
  CREATED_BY_ID: string;
  DATE_CREATE: string;
  DATE_MODIFY: string;
  OPENED: "Y" | "N";
  CLOSED: "Y" | "N";
  [field: string]: unknown;
}

export interface CrmLead {
  ID: string;
  TITLE: string;
  NAME: string | null;
  LAST_NAME: string | null;
  STATUS_ID: string;
  ASSIGNED_BY_ID: string;
  PHONE?: CrmMultiField[];
  EMAIL?: CrmMultiField[];
  [field: string]: unknown;
}

export interface CrmContact {
  ID: string;
  NAME: string | null;
  LAST_NAME: string | null;
  COMPANY_ID: string | null;
  ASSIGNED_BY_ID: string;
  PHONE?: CrmMultiField[];
  EMAIL?: CrmMultiField[];
  [field: string]: unknown;
}

export interface CrmCompany {
  ID: string;
  TITLE: string;
  COMPANY_TYPE: string;
  ASSIGNED_BY_ID: string;
  [field: string]: unknown;
}

/** crm.item.* records: camelCase keys, numbers as numbers. */
export interface CrmItem {
  id: number;
  title: string;
  stageId?: string;
  assignedById?: number;
  createdTime?: string;
  updatedTime?: string;
  [field: string]: unknown;
}

export interface Task {
  id: string;
  title: string;
  responsibleId: string;
  createdBy: string;
  status: string;
  [field: string]: unknown;
}

export interface PortalUserRecord {
  ID: string;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
  [field: string]: unknown;
}

export interface AppInfo {
  ID: number;
  CODE: string;
  VERSION: number;
  STATUS: "F" | "D" | "T" | "P" | "L" | "S" | string;
  INSTALLED: boolean;
  PAYMENT_EXPIRED: "Y" | "N";
  DAYS: number | null;
  LANGUAGE_ID: string;
  LICENSE: string;
  LICENSE_TYPE: string;
  LICENSE_FAMILY: string;
}

export interface DiskObject {
  ID: string;
  NAME: string;
  TYPE: "folder" | "file";
  PARENT_ID: string;
  DOWNLOAD_URL?: string;
  [field: string]: unknown;
}
