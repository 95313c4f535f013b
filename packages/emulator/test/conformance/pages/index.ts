import type { MethodPage } from "../page-fixture.js";
import { crmContactCompanyItemPages } from "./crm-contact-company-item.js";
import { crmDealLeadPages } from "./crm-deal-lead.js";
import { eventPlacementPages } from "./events-placements.js";
import { systemPages } from "./system.js";
import { taskDiskPages } from "./tasks-disk.js";
import { userDepartmentPages } from "./users-departments.js";

/** Every page fixture of the conformance suite, one file per method family. */
export const PAGES: MethodPage[] = [
  ...systemPages,
  ...crmDealLeadPages,
  ...crmContactCompanyItemPages,
  ...userDepartmentPages,
  ...taskDiskPages,
  ...eventPlacementPages,
];
