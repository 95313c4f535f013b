import { randomBytes } from "node:crypto";
import { type AppStore, TokenCipher, TokenVault } from "@b24kit/app";
import type { OAuthTokens } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { adapterCases, pgSchemas, tempFolder } from "./storage-helpers.js";

const folder = tempFolder("vault");
const schemas = pgSchemas();
const opened: AppStore[] = [];

afterAll(async () => {
  for (const store of opened) await store.close();
  folder.remove();
  await schemas.dropAll();
});

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const NOW = 1_800_000_000_000;

function tenantRecord(domain = "acme.bitrix24.com") {
  return {
    domain,
    clientEndpoint: `https://${domain}/rest/`,
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    state: "active" as const,
    scopes: ["crm"],
    installedAt: 1,
    updatedAt: 1,
  };
}

function tokens(memberId: string, n: number, domain = "acme.bitrix24.com"): OAuthTokens {
  return {
    accessToken: `ACCESS-${n}-${randomBytes(12).toString("hex")}`,
    refreshToken: `REFRESH-${n}-${randomBytes(12).toString("hex")}`,
    expiresAt: NOW + 3_600_000,
    clientEndpoint: `https://${domain}/rest/`,
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    memberId,
    domain,
    scope: "crm",
    userId: 1,
  };
}

const keyIdOf = (sealed: string | undefined) => sealed?.split(".")[1];

describe.each(adapterCases(folder, schemas))("TokenVault on $name", (adapter) => {
  async function setup(keys: Record<string, Buffer> = { k1 }, current = "k1") {
    const { store, rawText } = await adapter.open();
    opened.push(store);
    const vault = new TokenVault(store, new TokenCipher(keys, current), { now: () => NOW });
    const a = `a${randomBytes(8).toString("hex")}`;
    const b = `b${randomBytes(8).toString("hex")}`;
    await store.tenant(a).put(tenantRecord());
    await store.tenant(b).put(tenantRecord("other.bitrix24.com"));
    return { store, rawText, vault, a, b };
  }

  it("never writes a token or application_token in clear", async () => {
    const { store, rawText, vault, a, b } = await setup({ k1, k2 }, "k1");
    const first = tokens(a, 1);
    const second = tokens(a, 2);
    const app = `APP-${randomBytes(12).toString("hex")}`;
    await vault.tokenStore(a).save(first, 0);
    await vault.tokenStore(a).save(second, 1);
    await vault.tokenStore(b).save(tokens(b, 3, "other.bitrix24.com"), 0);
    await vault.setApplicationToken(a, app);
    await new TokenVault(store, new TokenCipher({ k1, k2 }, "k2")).resealAll();
    const text = await rawText();
    expect(text).toContain("acme.bitrix24.com"); // the scan sees the rows
    for (const secret of [
      first.accessToken,
      first.refreshToken,
      second.accessToken,
      second.refreshToken,
      app,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/ACCESS-|REFRESH-|APP-/);
  });

  it("loads the tokens with the tenant record's address, and follows a move the saved tokens name", async () => {
    const { store, vault, a } = await setup();
    const saved = tokens(a, 1);
    await vault.tokenStore(a).save(saved, 0);
    expect(await vault.tokenStore(a).load()).toEqual({ tokens: saved, version: 1 });
    await store.tenant(a).update({ domain: "renamed.bitrix24.com" });
    expect((await vault.tokenStore(a).load())?.tokens.domain).toBe("renamed.bitrix24.com");
    const moved = tokens(a, 2, "moved.bitrix24.com");
    await vault.tokenStore(a).save(moved, 1);
    expect(await store.tenant(a).get()).toMatchObject({
      domain: "moved.bitrix24.com",
      clientEndpoint: "https://moved.bitrix24.com/rest/",
      updatedAt: NOW,
    });
    // A save that loses the swap does not move the tenant.
    expect(await vault.tokenStore(a).save(tokens(a, 3, "loser.bitrix24.com"), 1)).toBeUndefined();
    expect((await store.tenant(a).get())?.domain).toBe("moved.bitrix24.com");
  });

  it("refuses tokens of another portal, and tokens of a tenant without a record", async () => {
    const { vault, a, b } = await setup();
    await expect(vault.tokenStore(a).save(tokens(b, 1), 0)).rejects.toThrow(/cannot be saved for portal/);
    await expect(vault.tokenStore("no-such-tenant").save(tokens("no-such-tenant", 1), 0)).rejects.toThrow(
      /No tenant/,
    );
    expect(await vault.tokenStore("no-such-tenant").load()).toBeUndefined();
  });

  it("a sealed row copied to another tenant does not decrypt (member_id is bound in)", async () => {
    const { store, vault, a, b } = await setup();
    await vault.tokenStore(a).save(tokens(a, 1), 0);
    const stolen = await store.tenant(a).tokens.load();
    const { version: _, ...row } = stolen!;
    await store.tenant(b).tokens.save(row, 0);
    await expect(vault.tokenStore(b).load()).rejects.toThrow();
  });

  it("verifies the application_token: only the tenant's own, never for unknown tenants", async () => {
    const { vault, a, b } = await setup();
    expect(await vault.verifyApplicationToken(a, "anything")).toBe(false); // none stored yet
    await vault.setApplicationToken(a, "app-token-a");
    await vault.setApplicationToken(b, "app-token-b");
    expect(await vault.verifyApplicationToken(a, "app-token-a")).toBe(true);
    expect(await vault.verifyApplicationToken(a, "app-token-b")).toBe(false);
    expect(await vault.verifyApplicationToken(a, "app-token-a ")).toBe(false);
    expect(await vault.verifyApplicationToken(a, "")).toBe(false);
    expect(await vault.verifyApplicationToken(a, undefined as unknown as string)).toBe(false);
    expect(await vault.verifyApplicationToken("unknown-tenant", "app-token-a")).toBe(false);
    await vault.setApplicationToken(a, "app-token-a2");
    expect(await vault.verifyApplicationToken(a, "app-token-a")).toBe(false);
    expect(await vault.verifyApplicationToken(a, "app-token-a2")).toBe(true);
    await expect(vault.setApplicationToken("unknown-tenant", "x")).rejects.toThrow(/No tenant/);
  });

  it("forget deletes the tokens at once; a later save starts over", async () => {
    const { vault, a, b } = await setup();
    await vault.tokenStore(a).save(tokens(a, 1), 0);
    await vault.tokenStore(b).save(tokens(b, 1, "other.bitrix24.com"), 0);
    await vault.setApplicationToken(a, "app-token-a");
    await vault.forget(a);
    expect(await vault.tokenStore(a).load()).toBeUndefined();
    expect(await vault.tokenStore(a).save(tokens(a, 2), 1)).toBeUndefined();
    expect((await vault.tokenStore(b).load())?.version).toBe(1);
    expect(await vault.verifyApplicationToken(a, "app-token-a")).toBe(true);
    expect((await vault.tokenStore(a).save(tokens(a, 3), 0))?.version).toBe(1);
  });

  it("key rotation: old rows stay readable, reseal rewrites them, then the old key can go", async () => {
    const { store, vault: oldVault, a, b } = await setup({ k1 }, "k1");
    const saved = tokens(a, 1);
    await oldVault.tokenStore(a).save(saved, 0);
    await oldVault.setApplicationToken(a, "app-token-a");
    await oldVault.tokenStore(b).save(tokens(b, 1, "other.bitrix24.com"), 0);

    const rotated = new TokenVault(store, new TokenCipher({ k1, k2 }, "k2"), { now: () => NOW });
    expect((await rotated.tokenStore(a).load())?.tokens).toEqual(saved);
    expect(await rotated.verifyApplicationToken(a, "app-token-a")).toBe(true);
    expect(keyIdOf((await store.tenant(a).tokens.load())?.sealedAccessToken)).toBe("k1");

    expect(await rotated.reseal(a)).toEqual({ tokens: true, applicationToken: true });
    const row = await store.tenant(a).tokens.load();
    expect([keyIdOf(row?.sealedAccessToken), keyIdOf(row?.sealedRefreshToken)]).toEqual(["k2", "k2"]);
    expect(row?.version).toBe(2);
    expect(keyIdOf((await store.tenant(a).get())?.sealedApplicationToken)).toBe("k2");
    expect(await rotated.reseal(a)).toEqual({ tokens: false, applicationToken: false });
    expect(await rotated.resealAll()).toEqual({ tenants: 2, resealed: 1, failed: [] });

    const newOnly = new TokenVault(store, new TokenCipher({ k2 }, "k2"));
    expect((await newOnly.tokenStore(a).load())?.tokens).toEqual(saved);
    expect((await newOnly.tokenStore(b).load())?.tokens.memberId).toBe(b);
    expect(await newOnly.verifyApplicationToken(a, "app-token-a")).toBe(true);
    await expect(oldVault.tokenStore(a).load()).rejects.toThrow(/unknown key "k2"/);
  });

  it("resealAll reports a tenant it cannot read and goes on with the others", async () => {
    const { store, a, b } = await setup();
    const lost = randomBytes(32);
    await new TokenVault(store, new TokenCipher({ lost }, "lost")).tokenStore(a).save(tokens(a, 1), 0);
    await new TokenVault(store, new TokenCipher({ k1 }, "k1")).tokenStore(b).save(tokens(b, 1), 0);
    const result = await new TokenVault(store, new TokenCipher({ k1, k2 }, "k2")).resealAll();
    expect(result.tenants).toBe(2);
    expect(result.resealed).toBe(1);
    expect(result.failed).toEqual([{ memberId: a, reason: expect.stringMatching(/unknown key "lost"/) }]);
    expect(JSON.stringify(result)).not.toMatch(/ACCESS-|REFRESH-/);
  });
});
