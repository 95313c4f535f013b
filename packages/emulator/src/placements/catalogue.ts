import type { ModuleId } from "../state/plans.js";
import type { Portal } from "../state/portal.js";

/*
 * The placement catalogue of docs/protocol.md §8.2 (and the scope table of the
 * official placements page): every code placement.bind accepts, the scope the
 * portal declares it in, and what its handler receives. Only real codes:
 * `CALL_LIST` and `TASKS_TASK_VIEW_TAB` do not exist on any portal.
 */

/** How an OPTIONS value given to placement.bind is kept (the core casts declared options, drops the rest). */
export type PlacementOptionType = "string" | "int";

export interface PlacementSpec {
  /** The concrete code, e.g. `CRM_DEAL_DETAIL_TAB`, `CRM_DYNAMIC_1038_DETAIL_TAB`. */
  code: string;
  /**
   * Scope the portal declares the placement in. `placement` (the global scope)
   * means no tool scope is needed; otherwise the app needs this scope as well.
   */
  scope: string;
  /** Scope the handler typically needs to act on what it gets (messenger placements: `im`); informational. */
  handlerScope?: string;
  /** Module whose switch-off removes the placement. */
  module?: ModuleId;
  /** At most one binding per app (`max_count` 1): REST_APP_URI, PAGE_BACKGROUND_WORKER. */
  single: boolean;
  /** USER_ID may be given (PAGE_BACKGROUND_WORKER only); elsewhere ERROR_PLACEMENT_USER_MODE. */
  userMode: boolean;
  /**
   * OPTIONS of placement.bind that are stored: declared names with their type,
   * "any" to keep what is given, undefined to ignore OPTIONS.
   */
  options?: Record<string, PlacementOptionType> | "any";
  /** Keys the handler finds in PLACEMENT_OPTIONS, besides `URI`. */
  optionKeys: readonly string[];
  /** CRM placements: the entity type the code belongs to (1 lead, 2 deal, …, smart processes ≥ 128). */
  entityTypeId?: number;
  /** Opened with a plain GET and no payload (BI_ANALYTICS_MENU). */
  plainGet?: boolean;
  /** Human description of where it shows. */
  where: string;
}

/** CRM entity names used in placement codes, with their entityTypeId. */
export const CRM_PLACEMENT_ENTITIES = {
  LEAD: 1,
  DEAL: 2,
  CONTACT: 3,
  COMPANY: 4,
  ACTIVITY: 6,
  QUOTE: 7,
  ORDER: 14,
  SMART_INVOICE: 31,
} as const;

type CrmEntity = keyof typeof CRM_PLACEMENT_ENTITIES | "DYNAMIC";

interface CrmFamily {
  suffix: string;
  entities: readonly CrmEntity[];
  optionKeys: readonly string[];
  where: string;
  options?: "any";
}

const CARD: readonly CrmEntity[] = ["LEAD", "DEAL", "CONTACT", "COMPANY", "QUOTE", "SMART_INVOICE"];

/** `CRM_XXX_…` families with the entity subsets of the §8.2 table. */
const CRM_FAMILIES: readonly CrmFamily[] = [
  {
    suffix: "DETAIL_TAB",
    entities: [...CARD, "ORDER", "DYNAMIC"],
    optionKeys: ["ID"],
    where: "tab in a CRM card",
  },
  {
    suffix: "DETAIL_TOOLBAR",
    entities: [...CARD, "DYNAMIC"],
    optionKeys: ["ID"],
    where: "item in a card's top-button menu",
  },
  {
    suffix: "DETAIL_ACTIVITY",
    entities: [...CARD, "ORDER", "DYNAMIC"],
    optionKeys: ["ID"],
    where: "button above a card's timeline",
    options: "any",
  },
  {
    suffix: "ACTIVITY_TIMELINE_MENU",
    entities: ["LEAD", "DEAL", "QUOTE", "SMART_INVOICE", "DYNAMIC"],
    optionKeys: ["ENTITY_ID", "ASSOCIATED_ENTITY_ID", "ASSOCIATED_ENTITY_TYPE_ID"],
    where: "context menu of a timeline activity",
  },
  {
    suffix: "DOCUMENTGENERATOR_BUTTON",
    entities: [...CARD, "DYNAMIC"],
    optionKeys: ["ENTITY_ID"],
    where: "document generator menu of a card",
  },
  {
    suffix: "LIST_MENU",
    entities: [...CARD, "ACTIVITY", "DYNAMIC"],
    optionKeys: ["ID"],
    where: "row context menu of a list",
  },
  {
    suffix: "LIST_TOOLBAR",
    entities: [...CARD, "ORDER", "DYNAMIC"],
    optionKeys: [],
    where: "menu above a list",
  },
  {
    suffix: "ROBOT_DESIGNER_TOOLBAR",
    entities: ["LEAD", "DEAL", "SMART_INVOICE", "DYNAMIC"],
    optionKeys: [],
    where: "automation designer button",
  },
  // Deals have the bare CRM_FUNNELS_TOOLBAR (below); the others carry the entity in the code.
  {
    suffix: "FUNNELS_TOOLBAR",
    entities: ["SMART_INVOICE", "DYNAMIC"],
    optionKeys: [],
    where: "pipelines and tunnels window",
  },
];

type FixedSpec = Omit<PlacementSpec, "single" | "userMode"> &
  Partial<Pick<PlacementSpec, "single" | "userMode">>;

/**
 * Messenger placements take display OPTIONS on bind (`iconName`, `extranet`,
 * `context`, `role`, `color`, `width`, `height`: IM textarea page, §8.2); they
 * are kept as given.
 */
const IM_OPTIONS = "any" as const;

const CRM_FIXED: readonly FixedSpec[] = [
  {
    code: "CRM_FUNNELS_TOOLBAR",
    scope: "crm",
    module: "crm",
    entityTypeId: 2,
    optionKeys: [],
    where: "deal pipelines and tunnels window",
  },
  { code: "CRM_ANALYTICS_MENU", scope: "crm", module: "crm", optionKeys: [], where: "CRM analytics menu" },
  {
    code: "CRM_ANALYTICS_TOOLBAR",
    scope: "crm",
    module: "crm",
    optionKeys: [],
    where: "CRM analytics header",
  },
  {
    code: "CRM_DETAIL_SEARCH",
    scope: "crm",
    module: "crm",
    optionKeys: ["entityTypeName", "searchQuery"],
    where: "client search source in a CRM card",
  },
  {
    code: "CRM_REQUISITE_AUTOCOMPLETE",
    scope: "crm",
    module: "crm",
    optionKeys: [],
    where: "requisites autocomplete",
  },
  {
    code: "CRM_BANK_DETAIL_AUTOCOMPLETE",
    scope: "crm",
    module: "crm",
    optionKeys: [],
    where: "bank details autocomplete",
  },
];

const OTHER_FIXED: readonly FixedSpec[] = [
  {
    code: "BI_ANALYTICS_MENU",
    scope: "placement",
    optionKeys: [],
    plainGet: true,
    where: "BI analytics menu",
  },
  {
    code: "TASK_VIEW_TAB",
    scope: "task",
    module: "tasks",
    optionKeys: ["taskId"],
    where: "task card widget",
  },
  {
    code: "TASK_VIEW_SIDEBAR",
    scope: "task",
    module: "tasks",
    optionKeys: ["taskId"],
    where: "task card right area",
  },
  {
    code: "TASK_VIEW_TOP_PANEL",
    scope: "task",
    module: "tasks",
    optionKeys: ["taskId"],
    where: "task card top panel",
  },
  {
    code: "TASK_LIST_CONTEXT_MENU",
    scope: "task",
    module: "tasks",
    optionKeys: ["ID"],
    where: "task row menu",
  },
  {
    code: "TASK_USER_LIST_TOOLBAR",
    scope: "task",
    module: "tasks",
    optionKeys: ["USER_ID"],
    where: "above a user's task list",
  },
  {
    code: "TASK_GROUP_LIST_TOOLBAR",
    scope: "task",
    module: "tasks",
    optionKeys: ["GROUP_ID"],
    where: "above a project's task list",
  },
  {
    code: "TASK_ROBOT_DESIGNER_TOOLBAR",
    scope: "task",
    module: "tasks",
    optionKeys: [],
    where: "task automation designer",
  },
  {
    code: "SONET_GROUP_DETAIL_TAB",
    scope: "sonet_group",
    optionKeys: ["GROUP_ID"],
    where: "workgroup menu item",
  },
  { code: "SONET_GROUP_TOOLBAR", scope: "sonet_group", optionKeys: [], where: "workgroup extensions menu" },
  {
    code: "SONET_GROUP_ROBOT_DESIGNER_TOOLBAR",
    scope: "sonet_group",
    optionKeys: [],
    where: "workgroup automation designer",
  },
  { code: "USER_PROFILE_MENU", scope: "user", optionKeys: ["USER_ID"], where: "user menu on every page" },
  { code: "USER_PROFILE_TOOLBAR", scope: "user", optionKeys: ["USER_ID"], where: "employee card menu" },
  { code: "LEFT_MENU", scope: "placement", optionKeys: [], where: "main left menu item" },
  {
    code: "IM_NAVIGATION",
    scope: "placement",
    handlerScope: "im",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: [],
    where: "messenger navigation",
  },
  {
    code: "IM_TEXTAREA",
    scope: "placement",
    handlerScope: "im",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: ["dialogId"],
    where: "panel above the chat input",
  },
  {
    code: "IM_SIDEBAR",
    scope: "placement",
    handlerScope: "im",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: ["dialogId"],
    where: "chat sidebar",
  },
  {
    code: "IM_CONTEXT_MENU",
    scope: "placement",
    handlerScope: "im",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: ["messageId", "dialogId"],
    where: "message context menu",
  },
  {
    code: "IM_SMILES_SELECTOR",
    scope: "placement",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: [],
    where: "smiles selector (archived)",
  },
  {
    code: "IMMOBILE_CONTEXT_MENU",
    scope: "placement",
    handlerScope: "im",
    module: "im",
    options: IM_OPTIONS,
    optionKeys: ["dialogId"],
    where: "mobile chat Apps menu",
  },
  {
    code: "CALL_CARD",
    scope: "telephony",
    module: "telephony",
    optionKeys: [
      "CALL_ID",
      "PHONE_NUMBER",
      "LINE_NUMBER",
      "LINE_NAME",
      "CRM_ENTITY_TYPE",
      "CRM_ENTITY_ID",
      "CRM_ACTIVITY_ID",
      "CRM_BINDINGS",
      "CALL_DIRECTION",
      "CALL_STATE",
      "CALL_LIST_MODE",
    ],
    where: "tab in the call card",
  },
  {
    code: "TELEPHONY_ANALYTICS_MENU",
    scope: "telephony",
    module: "telephony",
    optionKeys: [],
    where: "call analytics menu",
  },
  {
    code: "CALENDAR_GRIDVIEW",
    scope: "calendar",
    optionKeys: ["viewRangeFrom", "viewRangeTo"],
    where: "custom calendar view",
  },
  { code: "CONTACT_CENTER", scope: "contact_center", optionKeys: ["ID"], where: "contact center tile" },
  {
    code: "PAGE_BACKGROUND_WORKER",
    scope: "placement",
    single: true,
    userMode: true,
    options: { errorHandlerUrl: "string" },
    optionKeys: ["ID"],
    where: "invisible frame on every page",
  },
  {
    code: "REST_APP_URI",
    scope: "placement",
    single: true,
    optionKeys: [],
    where: "slider opened by /marketplace/view/{APP_CODE}/ links",
  },
];

function fixed(spec: FixedSpec): PlacementSpec {
  return { single: false, userMode: false, ...spec };
}

function crmCode(entity: CrmEntity, suffix: string, dynamicTypeId?: number): string {
  return entity === "DYNAMIC" ? `CRM_DYNAMIC_${dynamicTypeId}_${suffix}` : `CRM_${entity}_${suffix}`;
}

/**
 * Every placement that exists on `portal`, in a stable order: CRM families per
 * entity (smart processes from `portal.dynamicTypes`), then the fixed codes.
 * Placements of switched-off modules are absent.
 */
export function placementCatalogue(portal: Portal): PlacementSpec[] {
  const dynamicTypes = [...portal.dynamicTypes].sort((a, b) => a - b);
  const out: PlacementSpec[] = [];
  for (const family of CRM_FAMILIES) {
    for (const entity of family.entities) {
      const targets = entity === "DYNAMIC" ? dynamicTypes : [CRM_PLACEMENT_ENTITIES[entity]];
      for (const entityTypeId of targets) {
        out.push(
          fixed({
            code: crmCode(entity, family.suffix, entityTypeId),
            scope: "crm",
            module: "crm",
            entityTypeId,
            optionKeys: family.optionKeys,
            where: family.where,
            ...(family.options ? { options: family.options } : {}),
          }),
        );
      }
    }
  }
  for (const spec of [...CRM_FIXED, ...OTHER_FIXED]) out.push(fixed(spec));
  return out.filter((spec) => !spec.module || portal.modules.has(spec.module));
}

/** The placement with this code on `portal` (codes are case-insensitive on bind), or undefined. */
export function findPlacement(portal: Portal, code: string): PlacementSpec | undefined {
  const wanted = code.trim().toUpperCase();
  return placementCatalogue(portal).find((spec) => spec.code === wanted);
}

/** Whether an app with these scopes may bind the placement (`placement` plus the tool scope). */
export function placementAllowed(spec: PlacementSpec, scopes: Iterable<string>): boolean {
  const granted = new Set(scopes);
  return granted.has("placement") && (spec.scope === "placement" || granted.has(spec.scope));
}

/** A PLACEMENT_OPTIONS value as the handler receives it: strings all the way down. */
export type PlacementOptionValue = string | PlacementOptionValue[] | { [key: string]: PlacementOptionValue };

function stringify(value: unknown): PlacementOptionValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(stringify);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stringify(v)]),
    );
  }
  if (value === null || value === undefined) return "";
  return String(value);
}

/**
 * The PLACEMENT_OPTIONS object a handler receives (§2.2.1, §8.3): the page's
 * context `options` (e.g. `{ID: 42}` for a deal tab) with every value turned
 * into a string (`true` → "true"), plus `URI`, the path and query of the page
 * the widget was opened from (left out when `uri` is undefined: no Referer).
 * For REST_APP_URI only the link's `params[…]` keys belong in `options`.
 */
export function buildPlacementOptions(
  _code: string,
  options: Record<string, unknown> | undefined,
  uri: string | undefined,
): Record<string, PlacementOptionValue> {
  const out: Record<string, PlacementOptionValue> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined || key === "URI") continue;
    out[key] = stringify(value);
  }
  if (uri !== undefined) out.URI = uri;
  return out;
}

/**
 * PLACEMENT_OPTIONS as the form field carries it: a JSON string encoded the
 * way PHP's json_encode does it (slashes escaped: `{"URI":"\/crm\/deal\/details\/8061\/"}`).
 */
export function encodePlacementOptions(
  code: string,
  options: Record<string, unknown> | undefined,
  uri: string | undefined,
): string {
  return JSON.stringify(buildPlacementOptions(code, options, uri)).replace(/\//g, "\\/");
}
