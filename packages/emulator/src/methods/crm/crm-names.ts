/**
 * Field-name conversions between the stored UPPER_SNAKE keys (what the legacy
 * crm.<entity>.* methods speak) and the camelCase keys of crm.item.*
 * (docs/protocol.md §13.2). Entity-specific exceptions (DATE_CREATE → createdTime …)
 * live in crm-entities.ts; these are the generic rules.
 */

/** ASSIGNED_BY_ID → assignedById, BEGINDATE → begindate. */
export function snakeToCamel(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** assignedById → ASSIGNED_BY_ID; an already UPPER_SNAKE name is kept. */
export function camelToSnake(name: string): string {
  if (/^[A-Z0-9_]+$/.test(name)) return name;
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([a-zA-Z])(\d)/g, "$1_$2")
    .toUpperCase();
}

export function isUfName(name: string): boolean {
  return name.startsWith("UF_");
}

/**
 * User-field names as crm.item writes them by default (useOriginalUfNames=N):
 * the docs show `UF_CRM_1720019876534` → `ufCrm_1720019876534` and
 * `UF_CRM_2_1639669411830` → `ufCrm2_1639669411830` (smart-process fields carry
 * the type's number right after the prefix); a lettered tail is camelCased.
 */
export function ufToCamel(name: string): string {
  const m = /^UF_CRM_(\d+)_(.+)$/.exec(name);
  if (m) return `ufCrm${m[1]}_${m[2]}`;
  const rest = name.replace(/^UF_CRM_/, "");
  if (rest !== name && /^\d/.test(rest)) return `ufCrm_${rest}`;
  return snakeToCamel(name);
}

/** Inverse of ufToCamel: ufCrm_17200… → UF_CRM_17200…, ufCrm2_1639… → UF_CRM_2_1639…. */
export function ufFromCamel(name: string): string {
  const m = /^ufCrm(\d*)_(.+)$/.exec(name);
  if (m) return m[1] ? `UF_CRM_${m[1]}_${m[2]}` : `UF_CRM_${m[2]}`;
  return camelToSnake(name);
}

/** Relation fields to smart processes: PARENT_ID_1220 (crm-deal-get.md) is parentId1220 in crm.item. */
export function isRelationName(name: string): boolean {
  return /^PARENT_ID_\d+$/.test(name);
}

/** User fields and relation fields: keys a record may carry beyond its standard fields. */
export function isExtraName(name: string): boolean {
  return isUfName(name) || isRelationName(name);
}

export function relationToCamel(name: string): string | undefined {
  const m = /^PARENT_ID_(\d+)$/.exec(name);
  return m ? `parentId${m[1]}` : undefined;
}

export function relationFromCamel(name: string): string | undefined {
  const m = /^parentId(\d+)$/.exec(name);
  return m ? `PARENT_ID_${m[1]}` : undefined;
}
