import type { TestApi } from "@b24kit/rest/testing";
import type { AppStore } from "../app-store.js";
import {
  type AppStoreFactory,
  auditEntry,
  check,
  memberId,
  populate,
  sameJson,
  sealedTokens,
  snapshot,
  tenantRecord,
  withStore,
} from "./conformance-kit.js";

/** Two tenants whose member_ids differ only in letter case: the classic place for a leak. */
async function twoTenants(store: AppStore) {
  const id = memberId().replace(/^[0-9]/, "a");
  const a = store.tenant(id);
  const b = store.tenant(id.toUpperCase());
  await populate(a, "alpha");
  await populate(b, "bravo");
  return { a, b };
}

/** Nothing of one tenant is ever returned or changed through another's store, purge included. */
export function isolationChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("isolation: every read through one tenant returns only its own rows", async () => {
    await withStore(make, async (store) => {
      const { a, b } = await twoTenants(store);
      check((await b.get())?.domain === "bravo.bitrix24.com", "get must return the tenant's own record");
      check((await b.tokens.load())?.sealedAccessToken === "v1.k1.access-bravo", "tokens: own");
      sameJson((await b.capabilities.get())?.facts, { label: "bravo" }, "capabilities: own");
      check((await b.kv.get("shared-key")) === "bravo value", "kv.get: own value");
      check((await b.kv.get("only-alpha")) === undefined, "kv.get must not see another tenant's key");
      sameJson(await b.kv.keys(), ["only-bravo", "shared-key"], "kv.keys: own keys only");
      sameJson(await b.kv.keys("only-a"), [], "kv.keys with another tenant's prefix: nothing");
      const lines = await b.audit.query({ limit: 10_000 });
      check(lines.length === 1 && lines[0]?.memberId === b.memberId, "audit.query: own lines only");
      sameJson(await b.audit.query({ correlationId: "corr-alpha" }), [], "audit by another's correlationId");
      check((await a.get())?.domain === "alpha.bitrix24.com", "and the other way round");
    });
  });

  t.it("isolation: every write and delete through one tenant leaves the other unchanged", async () => {
    await withStore(make, async (store) => {
      const { a, b } = await twoTenants(store);
      const before = await snapshot(a);
      await b.put(tenantRecord({ domain: "changed.bitrix24.com" }));
      await b.update({ state: "blocked", stateReason: "test" }, ["installing"]);
      await b.update({ appStatus: undefined, scopes: [] });
      const version = (await b.tokens.load())!.version;
      await b.tokens.save(sealedTokens(99), version);
      await b.tokens.save(sealedTokens(98), 0);
      await b.capabilities.put({ probedAt: 1, facts: { changed: true } });
      await b.kv.set("shared-key", "changed");
      check(
        (await b.kv.delete("only-alpha")) === false,
        "kv.delete of another tenant's key must find nothing",
      );
      await b.kv.delete("shared-key");
      await b.audit.append(auditEntry({ correlationId: "corr-alpha" }));
      await b.tokens.delete();
      sameJson(await snapshot(a), before, "the other tenant must be unchanged");
    });
  });

  t.it("purge removes every row of the tenant in every table and nothing of the other", async () => {
    await withStore(make, async (store) => {
      const { a, b } = await twoTenants(store);
      const before = await snapshot(a);
      await b.purge();
      sameJson(
        JSON.parse(await snapshot(b)),
        { record: null, tokens: null, capabilities: null, kv: [], audit: [] },
        "a purged tenant has nothing left",
      );
      check(!(await store.admin.tenants()).some((r) => r.memberId === b.memberId), "not even in admin lists");
      check(!(await store.admin.audit()).some((e) => e.memberId === b.memberId), "nor in the audit log");
      sameJson(await snapshot(a), before, "the other tenant must be unchanged");
      await b.purge();
    });
  });
}
