import type { MethodPage } from "../page-fixture.js";
import { companyPages } from "./crm-company.js";
import { contactPages } from "./crm-contact.js";
import { dealPages } from "./crm-deal.js";
import { itemPages } from "./crm-item.js";
import { leadPages } from "./crm-lead.js";

/** The CRM family: crm.deal|lead|contact|company.* and crm.item.* (one file per entity, helpers in crm-common.ts). */
export const crmPages: MethodPage[] = [
  ...dealPages,
  ...leadPages,
  ...contactPages,
  ...companyPages,
  ...itemPages,
];
