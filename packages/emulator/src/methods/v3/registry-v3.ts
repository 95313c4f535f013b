import type { MethodDef, MethodRegistry } from "../../calls/method-def.js";
import { documentationV3Methods } from "./documentation-v3.js";
import { taskV3Methods } from "./tasks-v3.js";

/** Every REST 3.0 method the emulator implements (`/rest/api/…`), keyed by lower-case name. */
export function createV3Registry(extra: MethodDef[] = []): MethodRegistry {
  const table = new Map<string, MethodDef>();
  for (const def of [...taskV3Methods, ...documentationV3Methods, ...extra])
    table.set(def.name.toLowerCase(), def);
  return { lookup: (name) => table.get(name.toLowerCase()), all: () => [...table.values()] };
}
