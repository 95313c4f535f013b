import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppStore, TokenCipher, TokenVault } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "./app-harness.js";

/**
 * The application_token check keeps a digest per (member_id, sealed text)
 * (vault/token-digests.ts): it must never answer from a stale digest, nor let
 * one tenant's digest stand for another's.
 */

const dir = mkdtempSync(join(tmpdir(), "b24kit-digests-"));
const stores: AppStore[] = [];
let files = 0;
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const k1 = randomBytes(32);
const k2 = randomBytes(32);

async function setup(keys: Record<string, Buffer> = { k1 }, current = "k1") {
  const store = sqliteStore({ file: join(dir, `store-${++files}.db`) });
  stores.push(store);
  await store.migrate();
  const vault = new TokenVault(store, new TokenCipher(keys, current));
  const a = `a${randomBytes(6).toString("hex")}`;
  const b = `b${randomBytes(6).toString("hex")}`;
  for (const [memberId, domain] of [
    [a, "a.bitrix24.com"],
    [b, "b.bitrix24.com"],
  ] as const)
    await store.tenant(memberId).put({
      domain,
      clientEndpoint: `https://${domain}/rest/`,
      serverEndpoint: "https://oauth.bitrix.info/rest/",
      state: "active",
      scopes: ["crm"],
      installedAt: 1,
      updatedAt: 1,
    });
  return { store, vault, a, b };
}

const token = () => randomBytes(16).toString("hex");

describe("TokenVault.verifyApplicationToken with cached digests", () => {
  it("refuses a wrong token and accepts the right one, again and again", async () => {
    const { vault, a } = await setup();
    const right = token();
    await vault.setApplicationToken(a, right);
    for (let i = 0; i < 3; i++) {
      expect(await vault.verifyApplicationToken(a, right)).toBe(true);
      expect(await vault.verifyApplicationToken(a, token())).toBe(false);
      expect(await vault.verifyApplicationToken(a, `${right}x`)).toBe(false);
      expect(await vault.verifyApplicationToken(a, right.slice(0, -1))).toBe(false);
      expect(await vault.verifyApplicationToken(a, "")).toBe(false);
    }
  });

  it("after the token changes, the old one is refused and the new one accepted", async () => {
    const { vault, a } = await setup();
    const old = token();
    await vault.setApplicationToken(a, old);
    expect(await vault.verifyApplicationToken(a, old)).toBe(true); // its digest is cached now
    const next = token();
    await vault.setApplicationToken(a, next);
    expect(await vault.verifyApplicationToken(a, old)).toBe(false);
    expect(await vault.verifyApplicationToken(a, next)).toBe(true);
    // And back: a token set again is accepted again (a new sealing of it).
    await vault.setApplicationToken(a, old);
    expect(await vault.verifyApplicationToken(a, next)).toBe(false);
    expect(await vault.verifyApplicationToken(a, old)).toBe(true);
  });

  it("a change written by another vault (another process) is seen at once", async () => {
    const { store, vault, a } = await setup();
    const old = token();
    await vault.setApplicationToken(a, old);
    expect(await vault.verifyApplicationToken(a, old)).toBe(true);
    const other = new TokenVault(store, new TokenCipher({ k1 }, "k1"));
    const next = token();
    await other.setApplicationToken(a, next);
    expect(await vault.verifyApplicationToken(a, old)).toBe(false);
    expect(await vault.verifyApplicationToken(a, next)).toBe(true);
  });

  it("a tenant uninstalled and purged has no token any more", async () => {
    const { store, vault, a } = await setup();
    const old = token();
    await vault.setApplicationToken(a, old);
    expect(await vault.verifyApplicationToken(a, old)).toBe(true);
    await store.tenant(a).purge();
    expect(await vault.verifyApplicationToken(a, old)).toBe(false);
  });

  it("a token re-sealed under a new key still verifies, and only it", async () => {
    const { store, vault, a } = await setup({ k1, k2 }, "k1");
    const app = token();
    await vault.setApplicationToken(a, app);
    expect(await vault.verifyApplicationToken(a, app)).toBe(true);
    const sealedBefore = (await store.tenant(a).get())?.sealedApplicationToken;
    await new TokenVault(store, new TokenCipher({ k1, k2 }, "k2")).resealAll();
    expect((await store.tenant(a).get())?.sealedApplicationToken).not.toBe(sealedBefore);
    expect(await vault.verifyApplicationToken(a, app)).toBe(true);
    expect(await vault.verifyApplicationToken(a, token())).toBe(false);
  });

  it("tenants' tokens stay apart; one tenant's sealed token copied to another never verifies there", async () => {
    const { store, vault, a, b } = await setup();
    // One compiled tenant-row query serves every tenant view of the store: each gets its own row.
    expect((await store.tenant(a).get())?.domain).toBe("a.bitrix24.com");
    expect((await store.tenant(b).get())?.domain).toBe("b.bitrix24.com");
    expect(await store.tenant("nobody").get()).toBeUndefined();
    const ta = token();
    const tb = token();
    await vault.setApplicationToken(a, ta);
    await vault.setApplicationToken(b, tb);
    expect(await vault.verifyApplicationToken(a, ta)).toBe(true);
    expect(await vault.verifyApplicationToken(b, tb)).toBe(true);
    expect(await vault.verifyApplicationToken(a, tb)).toBe(false);
    expect(await vault.verifyApplicationToken(b, ta)).toBe(false);
    expect(await vault.verifyApplicationToken("nobody", ta)).toBe(false);

    // a's sealed text (whose digest is cached under a) put on b's row: sealed to a, it must not open as b's.
    const sealedA = (await store.tenant(a).get())?.sealedApplicationToken;
    expect(sealedA).toBeTruthy();
    await store.tenant(b).update({ sealedApplicationToken: sealedA as string });
    const verdict = await vault.verifyApplicationToken(b, ta).catch(() => "refused");
    expect(verdict === false || verdict === "refused").toBe(true);
  });
});

describe("the event ingress after ONAPPUPDATE (real app, real HTTP, emulated portal)", () => {
  it("refuses the old application_token and accepts the new one", async () => {
    const emu = await testEmulator();
    const ran: string[] = [];
    const portal = await testPortal(emu);
    const memberId = portal.memberId;
    const h = await startApp(emu, {
      registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
      manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
      queue: true,
      handlers: { events: { ONCRMDEALADD: (ctx) => void ran.push(String(ctx.data.FIELDS.ID)) } },
    });
    try {
      const api = control(emu);
      const appToken = async () =>
        (await api.request<{ applicationToken: string }>("GET", `portals/${memberId}/apps/${h.clientId}`))
          .applicationToken;
      await api.install(memberId, h.clientId);
      await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
      const old = await appToken();
      const post = (applicationToken: string, dealId: string) =>
        fetch(`${h.publicUrl}b24/events`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            event: "ONCRMDEALADD",
            "data[FIELDS][ID]": dealId,
            ts: String(Math.floor(Date.now() / 1000)),
            "auth[member_id]": memberId,
            "auth[application_token]": applicationToken,
            "auth[domain]": "portal.example",
          }).toString(),
        });

      // The old token is accepted (and its digest cached) before the update.
      expect((await post(old, "1")).status).toBe(200);
      expect((await post(`${old}0`, "2")).status).toBe(401);
      const sealedBefore = (await h.app.tenants.get(memberId))?.sealedApplicationToken;

      await api.request("POST", `portals/${memberId}/apps/${h.clientId}/update`, {});
      await waitFor(async () => (await h.app.tenants.get(memberId))?.sealedApplicationToken !== sealedBefore);
      const next = await appToken();
      expect(next).not.toBe(old);

      expect((await post(old, "3")).status).toBe(401);
      expect((await post(next, "4")).status).toBe(200);
      await waitFor(() => ran.includes("1") && ran.includes("4"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran.sort()).toEqual(["1", "4"]);
    } finally {
      await h.close();
      await emu.close();
    }
  });
});
