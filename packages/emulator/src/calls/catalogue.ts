import { METHOD_CATALOGUE, V3_METHOD_CATALOGUE } from "../state/method-catalogue.js";
import type { ModuleId } from "../state/plans.js";

export interface CatalogueEntry {
  /** As documented (some names are camelCase). */
  name: string;
  scope: string;
  /** The documentation page (path in bitrix24/b24restdocs). */
  page: string;
  /** The module that must be on for the method to exist on a portal. */
  module?: ModuleId;
}

/** Scopes whose methods belong to a module a portal may have switched off. */
const MODULE_OF_SCOPE: Record<string, ModuleId> = {
  crm: "crm",
  task: "tasks",
  tasks: "tasks",
  disk: "disk",
  im: "im",
  imbot: "im",
  imopenlines: "im",
  telephony: "telephony",
};

function index(rows: ReadonlyArray<readonly [string, string, string]>): Map<string, CatalogueEntry> {
  const map = new Map<string, CatalogueEntry>();
  for (const [name, scope, page] of rows) {
    const module = MODULE_OF_SCOPE[scope];
    map.set(name.toLowerCase(), { name, scope, page, ...(module ? { module } : {}) });
  }
  return map;
}

const CLASSIC = index(METHOD_CATALOGUE);
const V3 = index(V3_METHOD_CATALOGUE);

/**
 * Every documented method (state/method-catalogue.ts, generated from the
 * official documentation): what exists on real portals whether or not the
 * emulator implements it, so feature detection is not misled.
 */
export const catalogue = {
  classic: (name: string): CatalogueEntry | undefined => CLASSIC.get(name.toLowerCase()),
  v3: (name: string): CatalogueEntry | undefined => V3.get(name.toLowerCase()),
  allClassic: (): CatalogueEntry[] => [...CLASSIC.values()],
  allV3: (): CatalogueEntry[] => [...V3.values()],
};
