import type { EmulatorHandle } from "@b24kit/emulator";

/** The people of the demo portal, beside its admin (id 1): who sees what in CRM (entity type 2 = deals). */
export const DEMO_USERS = [
  { NAME: "Maria", LAST_NAME: "Sales", EMAIL: "maria@example.test", crmRights: { "2": "own" } },
  {
    NAME: "Tom",
    LAST_NAME: "Support",
    EMAIL: "tom@example.test",
    crmRights: { "2": "none", "3": "none", "4": "none" },
  },
  { NAME: "Nina", LAST_NAME: "Manager", EMAIL: "nina@example.test", crmRights: {} },
] as const;

export const DEMO_COUNTS = { deals: 36, contacts: 18, companies: 8, leads: 12 };

const TASK_TITLES = [
  "Call back about the offer",
  "Send the contract draft",
  "Prepare a demo",
  "Check the invoice",
];

/**
 * Believable data on an empty portal: deals across every stage with contacts
 * and companies (the emulator's deterministic seed), three colleagues with
 * different CRM rights, a few deals handed to Maria, and tasks on the first
 * deals. Runs REST as the portal itself (the control API's automation), so it
 * needs no app and no webhook. Returns false when the portal already has deals.
 */
export async function seedDemoPortal(emulator: EmulatorHandle, memberId: string): Promise<boolean> {
  const run = <T>(method: string, params: Record<string, unknown>) =>
    emulator.control<{ result: T; total?: number }>("POST", `portals/${memberId}/automation`, {
      method,
      params,
    });
  const existing = await run<unknown[]>("crm.deal.list", { select: ["ID"] });
  if ((existing.total ?? existing.result.length) > 0) return false;

  await emulator.control("POST", `portals/${memberId}/seed`, DEMO_COUNTS);
  const userIds: number[] = [];
  for (const user of DEMO_USERS) {
    const added = await emulator.control<{ user: { ID: number } }>("POST", `portals/${memberId}/users`, user);
    userIds.push(added.user.ID);
  }
  const [maria] = userIds;
  const deals = await run<Array<{ ID: string }>>("crm.deal.list", { select: ["ID"], order: { ID: "ASC" } });
  const ids = deals.result.map((d) => Number(d.ID));
  for (const id of ids.filter((_, i) => i % 4 === 1)) {
    await run("crm.deal.update", { id, fields: { ASSIGNED_BY_ID: maria } });
  }
  for (const [i, id] of ids.slice(0, 8).entries()) {
    await run("tasks.task.add", {
      fields: {
        TITLE: TASK_TITLES[i % TASK_TITLES.length],
        RESPONSIBLE_ID: i % 2 === 0 ? 1 : maria,
        UF_CRM_TASK: [`D_${id}`],
        DEADLINE: new Date(Date.UTC(2027, 0, 10 + i)).toISOString(),
      },
    });
  }
  return true;
}
