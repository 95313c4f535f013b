import { MODULES, type ModuleId, PLANS, type PlanId } from "@b24kit/emulator";
import { InvalidArgumentError } from "commander";

/**
 * Who opens the app in a cell: the portal's admin, a colleague, or a colleague with a restricted CRM
 * role (only their own records, read-only, none).
 */
export const USER_KINDS = ["admin", "user", "crm-own", "crm-read", "crm-none"] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const PLAN_IDS = Object.keys(PLANS) as PlanId[];
export const MODULE_IDS = [...MODULES] as ModuleId[];

/** One emulated portal of the matrix: a plan, the modules switched off, and the user who acts. */
export interface Cell {
  /** `professional/-telephony/admin`: stable, for tests and CI logs. */
  id: string;
  plan: PlanId;
  modulesOff: ModuleId[];
  user: UserKind;
}

export interface CellChoice {
  /** The plans tried with every module on, as the admin. */
  plans: PlanId[];
  /** The modules switched off one at a time (on `base`, as the admin). */
  modules: ModuleId[];
  /** The user kinds tried (on `base` with every module on). */
  users: UserKind[];
  /** The plan the module and user rows use (default professional). */
  base: PlanId;
  /** Every combination of plan × module set × user instead of the rows. */
  full: boolean;
}

export function cellId(plan: PlanId, modulesOff: ModuleId[], user: UserKind): string {
  return `${plan}/${modulesOff.length === 0 ? "all-modules" : modulesOff.map((m) => `-${m}`).join("")}/${user}`;
}

function cell(plan: PlanId, modulesOff: ModuleId[], user: UserKind): Cell {
  return { id: cellId(plan, modulesOff, user), plan, modulesOff, user };
}

/**
 * The cells to run. By default three rows that share one corner (the base plan, every module, the
 * admin): every plan with every module on; the base plan with each module off in turn; the base plan
 * with each user kind. `full` runs the cross product instead.
 */
export function matrixCells(choice: CellChoice): Cell[] {
  const out = new Map<string, Cell>();
  const add = (c: Cell) => {
    if (!out.has(c.id)) out.set(c.id, c);
  };
  const moduleSets: ModuleId[][] = [[], ...choice.modules.map((m) => [m])];
  if (choice.full) {
    for (const plan of choice.plans)
      for (const off of moduleSets) for (const user of choice.users) add(cell(plan, off, user));
    return [...out.values()];
  }
  const firstUser = choice.users.includes("admin") ? "admin" : choice.users[0];
  for (const plan of choice.plans) if (firstUser) add(cell(plan, [], firstUser));
  for (const m of choice.modules) if (firstUser) add(cell(choice.base, [m], firstUser));
  for (const user of choice.users) add(cell(choice.base, [], user));
  return [...out.values()];
}

/** Parses a comma-separated option against the allowed values; `all` is every value, `none` none. */
export function listOption<T extends string>(name: string, allowed: readonly T[]): (value: string) => T[] {
  return (value: string) => {
    const items = value
      .split(/[,\s]+/)
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
    if (items.length === 1 && items[0] === "all") return [...allowed];
    if (items.length === 1 && items[0] === "none") return [];
    const unknown = items.filter((v) => !(allowed as readonly string[]).includes(v));
    if (unknown.length > 0)
      throw new InvalidArgumentError(
        `${name}: unknown ${unknown.join(", ")} (known: ${allowed.join(", ")}, all, none)`,
      );
    return [...new Set(items)] as T[];
  };
}

/** The CRM rights a user kind gets on its portal (entity type ids 1–4: lead, deal, contact, company). */
export function crmRightsOf(kind: UserKind): Record<string, "own" | "read" | "none"> | undefined {
  if (kind === "crm-own") return { "1": "own", "2": "own", "3": "own", "4": "own" };
  if (kind === "crm-read") return { "1": "read", "2": "read", "3": "read", "4": "read" };
  if (kind === "crm-none") return { "1": "none", "2": "none", "3": "none", "4": "none" };
  return undefined;
}

/** How a cell reads in the table and the report: `professional · −telephony · crm-own`. */
export function cellLabel(c: Cell): string {
  const modules = c.modulesOff.length === 0 ? "all modules" : c.modulesOff.map((m) => `−${m}`).join(" ");
  return `${c.plan} · ${modules} · ${c.user}`;
}
