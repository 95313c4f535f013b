import { type CrmEntity, itemStoredKeys } from "./crm-entities.js";
import type { FieldSpec } from "./crm-fields.js";
import { camelToSnake } from "./crm-names.js";

/** Field descriptions (`crm_rest_field_description`, api-reference/crm/data-types.md). */

type Description = Record<string, unknown>;

function describe(spec: FieldSpec, type: string): Description {
  return {
    type,
    isRequired: spec.required ?? false,
    isReadOnly: spec.readOnly ?? false,
    isImmutable: spec.immutable ?? false,
    isMultiple: spec.multiple ?? false,
    isDynamic: false,
    ...(spec.deprecated ? { isDeprecated: true } : {}),
    ...(spec.statusType ? { statusType: spec.statusType } : {}),
    title: spec.title,
    ...(spec.settings ? { settings: spec.settings } : {}),
  };
}

/** crm.<entity>.fields: `{NAME: description}` for every listed standard field. */
export function legacyFieldsMetadata(entity: CrmEntity): Record<string, Description> {
  const out: Record<string, Description> = {};
  for (const [name, spec] of Object.entries(entity.fields)) {
    if (!spec.unlisted) out[name] = describe(spec, spec.type);
  }
  return out;
}

/**
 * crm.item.fields: the fields of the item record under their crm.item names, each
 * with `upperName` — the item name in upper case (CREATED_TIME for createdTime, as
 * crm-item-fields.md shows), not the legacy column. Y/N flags are `boolean` there
 * (object-fields.md).
 */
export function itemFieldsMetadata(entity: CrmEntity): Record<string, Description> {
  const inItem = itemStoredKeys(entity);
  const out: Record<string, Description> = {};
  for (const [name, spec] of Object.entries(entity.fields)) {
    if (!inItem.has(name) && !spec.itemFieldOnly) continue;
    const camel = entity.toCamel.get(name) ?? name;
    out[camel] = {
      ...describe(spec, spec.type === "char" ? "boolean" : spec.type),
      upperName: camelToSnake(camel),
    };
  }
  return out;
}
