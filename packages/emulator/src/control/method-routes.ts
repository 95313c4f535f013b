import type { FastifyInstance } from "fastify";
import { type CatalogueEntry, catalogue } from "../calls/catalogue.js";
import type { MethodRegistry } from "../calls/method-def.js";

/** The classic endpoint's own method (settings/how-to-call-rest-api/batch.md), outside the catalogue. */
const BATCH = { name: "batch", scope: "basic", page: "settings/how-to-call-rest-api/batch.md" };

/**
 * `GET /_emulator/methods`: the documented methods this emulator implements,
 * each with its scope and page (the others answer 501
 * EMULATOR_METHOD_NOT_EMULATED), so a developer sees what they may rely on.
 */
export function registerMethodRoutes(
  app: FastifyInstance,
  registries: { classic: MethodRegistry; v3: MethodRegistry },
): void {
  const entries = (registry: MethodRegistry, lookup: (name: string) => CatalogueEntry | undefined) =>
    registry
      .all()
      .map((def) => {
        const entry = lookup(def.name);
        return { name: entry?.name ?? def.name, scope: entry?.scope ?? def.scope, page: entry?.page ?? null };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  app.get("/_emulator/methods", async () => ({
    classic: [BATCH, ...entries(registries.classic, catalogue.classic)],
    v3: entries(registries.v3, catalogue.v3),
    documented: { classic: catalogue.allClassic().length, v3: catalogue.allV3().length },
  }));
}
