import type { MethodOutput } from "../calls/method-def.js";
import { asInt, asRecord, type Params, param } from "../calls/params.js";

export interface WriteEvent {
  event: string;
  data: unknown;
  /** Identifies the changed object: the offline queue keeps one row per object (§7.6). */
  objectKey: string;
}

const LEGACY_CRM: Record<string, string> = {
  lead: "LEAD",
  deal: "DEAL",
  contact: "CONTACT",
  company: "COMPANY",
};
const TYPE_BY_ID: Record<number, string> = { 1: "LEAD", 2: "DEAL", 3: "CONTACT", 4: "COMPANY" };
const ACTION: Record<string, string> = { add: "ADD", update: "UPDATE", delete: "DELETE" };

function itemId(output: MethodOutput): number | undefined {
  const item = asRecord(asRecord(output.result).item);
  return asInt(item.id);
}

/**
 * The events a successful write fires (docs/protocol.md §7.8), derived from the
 * method and its result in one place, so every way of writing — REST, batch,
 * the portal's pages — fires the same events.
 */
export function eventsForWrite(method: string, params: Params, output: MethodOutput): WriteEvent[] {
  const [area, entity, action] = method.split(".");
  if (area === "crm" && entity && entity in LEGACY_CRM && action && action in ACTION) {
    const id = action === "add" ? asInt(output.result) : asInt(param(params, "id"));
    if (id === undefined) return [];
    const event = `ONCRM${LEGACY_CRM[entity]}${ACTION[action]}`;
    return [{ event, data: { FIELDS: { ID: String(id) } }, objectKey: `crm:${entity}:${id}` }];
  }
  if (method.startsWith("crm.item.")) {
    const act = method.slice("crm.item.".length);
    const typeId = asInt(param(params, "entityTypeId"));
    if (!(act in ACTION) || typeId === undefined) return [];
    const id = act === "add" ? itemId(output) : asInt(param(params, "id"));
    if (id === undefined) return [];
    const legacy = TYPE_BY_ID[typeId];
    if (legacy) {
      return [
        {
          event: `ONCRM${legacy}${ACTION[act]}`,
          data: { FIELDS: { ID: String(id) } },
          objectKey: `crm:${legacy.toLowerCase()}:${id}`,
        },
      ];
    }
    const data = { FIELDS: { ID: String(id), ENTITY_TYPE_ID: String(typeId) } };
    const base = `ONCRMDYNAMICITEM${ACTION[act]}`;
    const objectKey = `crm:dynamic:${typeId}:${id}`;
    return [
      { event: base, data, objectKey },
      { event: `${base}_${typeId}`, data, objectKey },
    ];
  }
  if (method === "tasks.task.add" || method === "tasks.task.update") {
    const task = asRecord(asRecord(output.result).task);
    const id = asInt(task.id) ?? asInt(param(params, "taskId"));
    if (id === undefined) return [];
    const add = method.endsWith(".add");
    return [
      {
        event: add ? "ONTASKADD" : "ONTASKUPDATE",
        data: add
          ? {
              FIELDS_BEFORE: "undefined",
              FIELDS_AFTER: { ID: String(id) },
              IS_ACCESSIBLE_BEFORE: "N",
              IS_ACCESSIBLE_AFTER: "undefined",
            }
          : {
              FIELDS_BEFORE: { ID: String(id) },
              FIELDS_AFTER: { ID: String(id) },
              IS_ACCESSIBLE_BEFORE: "undefined",
              IS_ACCESSIBLE_AFTER: "undefined",
            },
        objectKey: `task:${id}`,
      },
    ];
  }
  return [];
}
