import type { EmulatorHandle } from "@b24kit/emulator";

/** What a fresh development portal gets, so that a deal tab has deals to open on the first run. */
export const DEV_SEED = { deals: 12, contacts: 8, companies: 4 };

/**
 * Fills a portal that has no deals yet with the emulator's deterministic CRM
 * data (control API `seed`), before the app is installed, so the seeding fires
 * no events at it. A portal that has deals — a restart, or data of the
 * developer's own — is left alone. Returns whether it seeded.
 */
export async function seedIfEmpty(emulator: EmulatorHandle, memberId: string): Promise<boolean> {
  const deals = await emulator.control<{ result: unknown[]; total?: number }>(
    "POST",
    `portals/${memberId}/automation`,
    { method: "crm.deal.list", params: { select: ["ID"] } },
  );
  if ((deals.total ?? deals.result.length) > 0) return false;
  // A portal without CRM (a developer switched it off) has nothing to seed.
  await emulator.control("POST", `portals/${memberId}/seed`, DEV_SEED);
  return true;
}
