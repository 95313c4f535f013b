import { randomBytes } from "node:crypto";
import { type AppStore, TokenCipher, TokenVault } from "@b24kit/app";
import { postgresStore } from "@b24kit/app/postgres";
import { sqliteStore } from "@b24kit/app/sqlite";
import { describeTokenStore } from "@b24kit/rest/testing";
import { afterAll, describe, it } from "vitest";
import { pgSchemas, tempFolder } from "./storage-helpers.js";

// @b24kit/rest's TokenStore suite against the vault on both adapters. Its tokens name the portal
// "member-conformance" at acme.bitrix24.com, so each store made here is a new database (a temp file, a
// fresh schema) holding that one tenant, whose record gives the address the loaded tokens carry.
const t = { describe, it };
const folder = tempFolder("vault-conformance");
const schemas = pgSchemas();
const cipher = new TokenCipher({ k1: randomBytes(32) }, "k1");
const opened: AppStore[] = [];

afterAll(async () => {
  for (const store of opened) await store.close();
  folder.remove();
  await schemas.dropAll();
});

async function vaultOn(store: AppStore) {
  opened.push(store);
  await store.migrate();
  await store.tenant("member-conformance").put({
    domain: "acme.bitrix24.com",
    clientEndpoint: "https://acme.bitrix24.com/rest/",
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    state: "active",
    scopes: ["crm", "user"],
    installedAt: 1,
    updatedAt: 1,
  });
  return new TokenVault(store, cipher).tokenStore("member-conformance");
}

describeTokenStore("TokenVault on SQLite", () => vaultOn(sqliteStore({ file: folder.file() })), t);
describeTokenStore(
  "TokenVault on PostgreSQL",
  () => vaultOn(postgresStore({ pool: schemas.pool, schema: schemas.next() })),
  t,
);
