import { startEmulator } from "@b24kit/emulator";

// Run with NODE_EXTRA_CA_CERTS=~/.b24kit/ca/ca.pem (emu.caFile), so that fetch trusts the emulator.
const emu = await startEmulator({ port: 0 });
try {
  const portal = await emu.control<{ memberId: string; adminWebhookUrl: string }>("POST", "portals", {
    plan: "enterprise",
  });
  await emu.control("POST", `portals/${portal.memberId}/seed`, { deals: 120 });
  const res = await fetch(`${portal.adminWebhookUrl}crm.deal.list`, { method: "POST" });
  const { total } = (await res.json()) as { total: number };
  console.log(`${total} deals on portal ${portal.memberId}`);
} finally {
  await emu.close();
}
