import type { MethodDef, MethodRegistry } from "../calls/method-def.js";
import { appInfoMethods } from "./app-info.js";
import { bizprocMethods } from "./bizproc.js";
import { botV2ChatMethods } from "./bot-v2-chats.js";
import { botV2CommandMethods } from "./bot-v2-commands.js";
import { botMethods } from "./bots.js";
import { botV2Methods } from "./bots-v2.js";
import { crmItemMethods } from "./crm/crm-item.js";
import { crmLegacyMethods } from "./crm/crm-legacy.js";
import { crmUserFieldMethods } from "./crm/crm-userfield-methods.js";
import { departmentMethods } from "./departments.js";
import { diskMethods } from "./disk.js";
import { eventMethods } from "./events.js";
import { imV2EventMethods } from "./im-v2-events.js";
import { optionMethods } from "./options.js";
import { placementMethods } from "./placements.js";
import { systemMethods } from "./system.js";
import { taskMethods } from "./tasks.js";
import { userFieldTypeMethods } from "./userfield-types.js";
import { userMethods } from "./users.js";

/** Every classic-API method the emulator implements, keyed by lower-case name. */
export function createRegistry(extra: MethodDef[] = []): MethodRegistry {
  const table = new Map<string, MethodDef>();
  for (const def of [
    ...crmLegacyMethods,
    ...crmItemMethods,
    ...crmUserFieldMethods,
    ...userMethods,
    ...departmentMethods,
    ...taskMethods,
    ...diskMethods,
    ...appInfoMethods,
    ...optionMethods,
    ...systemMethods,
    ...eventMethods,
    ...placementMethods,
    ...botMethods,
    ...botV2Methods,
    ...botV2ChatMethods,
    ...botV2CommandMethods,
    ...imV2EventMethods,
    ...bizprocMethods,
    ...userFieldTypeMethods,
    ...extra,
  ]) {
    const key = def.name.toLowerCase();
    if (table.has(key)) throw new Error(`Method ${def.name} is registered twice`);
    table.set(key, def);
  }
  return {
    lookup: (name) => table.get(name.toLowerCase()),
    all: () => [...table.values()],
  };
}
