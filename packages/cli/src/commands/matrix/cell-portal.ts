import type { EmulatorHandle } from "@b24kit/emulator";
import { ensureInstalled } from "../dev/register-app.js";
import { seedIfEmpty } from "../dev/seed-portal.js";
import { type Cell, crmRightsOf, MODULE_IDS } from "./cells.js";

/** A cell's portal with the app installed, its acting user, and the values of the scenario placeholders. */
export interface CellPortal {
  memberId: string;
  userId: number;
  vars: Record<string, string>;
}

/** A control API call that answers `{status, body}` whatever the status. */
export async function controlTry<T = Record<string, unknown>>(
  emulator: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return emulator.controlExchange<T>(method, path, body);
}

/** A refusal's body: the control API's `message`/`error`, a REST method's `error_description`. */
export type PortalAnswer = { error?: string; error_description?: string; message?: string };

/** What the portal said in a refusal, in one short line for a cell's summary. */
export function portalSaid(status: number, body: PortalAnswer): string {
  return String(body.message ?? body.error_description ?? body.error ?? `HTTP ${status}`).slice(0, 200);
}

const ENTITIES = {
  deal: "crm.deal.list",
  contact: "crm.contact.list",
  company: "crm.company.list",
  lead: "crm.lead.list",
};

/** The id of the first record of each CRM entity on the portal ("1" where there is none or no CRM). */
async function firstIds(emulator: EmulatorHandle, memberId: string): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(ENTITIES).map(async ([name, method]) => {
      const res = await controlTry<{ result?: Array<{ ID?: string | number }> }>(
        emulator,
        "POST",
        `portals/${memberId}/automation`,
        { method, params: { select: ["ID"], order: { ID: "ASC" }, start: -1 } },
      );
      const id = res.status < 400 ? res.body.result?.[0]?.ID : undefined;
      return [name, id === undefined ? "1" : String(id)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Creates the cell's portal (`POST portals {plan, modules}`), adds its user (a colleague, with the
 * restricted CRM role of the cell when it has one), fills it with the deterministic CRM seed before
 * the install (so no events fire), and installs the app as the admin does: the portal's install, the
 * installer page POSTed to the app, `installFinish`.
 */
export async function createCellPortal(
  emulator: EmulatorHandle,
  clientId: string,
  cell: Cell,
): Promise<CellPortal> {
  const modules = MODULE_IDS.filter((m) => !cell.modulesOff.includes(m));
  const portal = await emulator.control<{ memberId: string }>("POST", "portals", {
    plan: cell.plan,
    modules,
  });
  const { memberId } = portal;
  let userId = 1;
  if (cell.user !== "admin") {
    const rights = crmRightsOf(cell.user);
    const added = await emulator.control<{ user: { ID: number } }>("POST", `portals/${memberId}/users`, {
      NAME: "Matrix",
      LAST_NAME: cell.user === "user" ? "Colleague" : `Colleague (${cell.user})`,
      ADMIN: false,
      ...(rights ? { crmRights: rights } : {}),
    });
    userId = added.user.ID;
  }
  await seedIfEmpty(emulator, memberId).catch(() => false); // a portal without CRM has nothing to seed
  const vars = { ...(await firstIds(emulator, memberId)), user: String(userId) };
  await ensureInstalled(emulator, memberId, clientId);
  return { memberId, userId, vars };
}
