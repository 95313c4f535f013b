import type { MethodPage } from "../page-fixture.js";
import { bizprocPages } from "./bizproc.js";
import { chatBotPages } from "./chat-bots.js";
import { chatBotV2Pages } from "./chat-bots-v2.js";
import { chatBotV2CommandPages } from "./chat-bots-v2-commands.js";
import { crmPages } from "./crm.js";
import { crmUserFieldPages } from "./crm-userfields.js";
import { eventPlacementPages } from "./events-placements.js";
import { imV2EventPages } from "./im-v2-events.js";
import { systemPages } from "./system.js";
import { taskDiskPages } from "./tasks-disk.js";
import { userFieldTypePages } from "./userfield-types.js";
import { userDepartmentPages } from "./users-departments.js";

/** Every page fixture of the conformance suite, one file per method family. */
export const PAGES: MethodPage[] = [
  ...systemPages,
  ...crmPages,
  ...userDepartmentPages,
  ...taskDiskPages,
  ...eventPlacementPages,
  ...chatBotPages,
  ...chatBotV2Pages,
  ...chatBotV2CommandPages,
  ...imV2EventPages,
  ...bizprocPages,
  ...userFieldTypePages,
  ...crmUserFieldPages,
];
