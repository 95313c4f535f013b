import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "./app-harness.js";

// The REST client's onPortalState hook drives the tenant state machine: no handler
// catches an error for it (issue #9 "Portal state"; OAuth errors: docs/protocol.md §1.5).
const emu = await testEmulator();
afterAll(() => emu.close());

async function activeTenant() {
  const portal = await testPortal(emu);
  const h = await startApp(emu, { registration: (url) => ({ installHandlerUrl: `${url}b24/install` }) });
  await control(emu).install(portal.memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.state === "active");
  return { portal, h };
}

const stateOf = async (h: Awaited<ReturnType<typeof startApp>>, memberId: string) =>
  (await h.app.tenants.get(memberId))?.state;

describe("portal state reported by the portal moves the tenant", () => {
  it("PAYMENT_REQUIRED from the OAuth server makes the tenant payment_expired", async () => {
    const { portal, h } = await activeTenant();
    try {
      const path = `portals/${portal.memberId}/apps/${h.clientId}`;
      await control(emu).request("PATCH", path, { paymentRequired: true });
      // The OAuth server refuses new tokens once the paid period is over (docs/protocol.md §1.5):
      // past the access token's hour, the next call needs a refresh.
      await control(emu).advanceClock(3700);
      await expect(h.app.forPortal(portal.memberId).call("profile")).rejects.toMatchObject({
        code: "PAYMENT_REQUIRED",
      });
      await waitFor(async () => (await stateOf(h, portal.memberId)) === "payment_expired");
      expect((await h.app.tenants.get(portal.memberId))?.stateReason).toContain("PAYMENT_REQUIRED");
    } finally {
      await h.close();
    }
  });

  it("a deleted portal makes the tenant uninstalled and its tokens are gone", async () => {
    const { portal, h } = await activeTenant();
    try {
      await control(emu).request("DELETE", `portals/${portal.memberId}`);
      await expect(h.app.forPortal(portal.memberId).call("profile")).rejects.toBeDefined();
      await waitFor(async () => (await stateOf(h, portal.memberId)) === "uninstalled");
      expect(await h.store.tenant(portal.memberId).tokens.load()).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it("a dead refresh token blocks the tenant with a reason an operator can read", async () => {
    const { portal, h } = await activeTenant();
    try {
      // Past the refresh token's lifetime (180 days in the emulator): the refresh answers invalid_grant.
      await control(emu).advanceClock(181 * 24 * 3600);
      await expect(h.app.forPortal(portal.memberId).call("profile")).rejects.toBeDefined();
      await waitFor(async () => (await stateOf(h, portal.memberId)) === "blocked");
      expect((await h.app.tenants.get(portal.memberId))?.stateReason).toMatch(/tokens_revoked/);
    } finally {
      await h.close();
    }
  });
});
