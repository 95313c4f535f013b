import type { TestApi } from "@b24kit/rest/testing";
import type { TenantRecord } from "../records.js";
import {
  type AppStoreFactory,
  check,
  memberId,
  sameJson,
  tenantRecord,
  withStore,
} from "./conformance-kit.js";

/** Tenant records: put/get round trip, replace, patch, guarded transitions, the operator list. */
export function tenantChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("migrate is idempotent and keeps the data", async () => {
    await withStore(make, async (store) => {
      const id = memberId();
      await store.tenant(id).put(tenantRecord());
      const again = await store.migrate();
      check(
        Array.isArray(again) && again.length === 0,
        `a second migrate must apply nothing, applied ${again}`,
      );
      check((await store.tenant(id).get()) !== undefined, "migrate must not drop rows");
    });
  });

  t.it("an unknown tenant has no record", async () => {
    await withStore(make, async (store) => {
      check(
        (await store.tenant(memberId()).get()) === undefined,
        "get() of an unknown tenant must be undefined",
      );
    });
  });

  t.it("put stores every field under the store's member_id, whatever the record says", async () => {
    await withStore(make, async (store) => {
      const id = memberId();
      const other = memberId();
      const record = { ...tenantRecord(), memberId: other } as Omit<TenantRecord, "memberId">;
      const put = await store.tenant(id).put(record);
      sameJson(put, { memberId: id, ...tenantRecord() }, "put must resolve the stored record");
      sameJson(await store.tenant(id).get(), put, "get must return the record as put");
      check((await store.tenant(other).get()) === undefined, "a memberId inside the record must be ignored");
    });
  });

  t.it("put replaces the whole record (left-out optional fields are cleared)", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      await tenant.put(tenantRecord());
      const bare = {
        domain: "renamed.bitrix24.com",
        clientEndpoint: "https://renamed.bitrix24.com/rest/",
        serverEndpoint: "https://oauth.bitrix.info/rest/",
        state: "active" as const,
        scopes: [],
        installedAt: 5,
        updatedAt: 6,
      };
      await tenant.put(bare);
      sameJson(
        await tenant.get(),
        { memberId: tenant.memberId, ...bare },
        "the second put must replace the first",
      );
    });
  });

  t.it(
    "update changes the given keys only, clears keys given as undefined, resolves the new record",
    async () => {
      await withStore(make, async (store) => {
        const tenant = store.tenant(memberId());
        await tenant.put(tenantRecord());
        const updated = await tenant.update({ state: "active", stateReason: undefined, scopes: ["crm"] });
        const expected: TenantRecord = {
          memberId: tenant.memberId,
          ...tenantRecord(),
          state: "active",
          scopes: ["crm"],
        };
        delete expected.stateReason;
        sameJson(updated, expected, "update must resolve the changed record");
        sameJson(await tenant.get(), expected, "the change must be stored");
        check(
          updated?.updatedAt === tenantRecord().updatedAt,
          "updatedAt must change only when the patch sets it",
        );
      });
    },
  );

  t.it("a guarded update applies only from the given states", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      await tenant.put(tenantRecord({ state: "blocked" }));
      const refused = await tenant.update({ state: "active", updatedAt: 9 }, [
        "installing",
        "payment_expired",
      ]);
      check(refused === undefined, "an update from a state not listed must resolve undefined");
      const stored = await tenant.get();
      check(
        stored?.state === "blocked" && stored.updatedAt === tenantRecord().updatedAt,
        "and change nothing",
      );
      check(
        (await tenant.update({ state: "active" }, [])) === undefined,
        "an empty state list matches nothing",
      );
      const applied = await tenant.update({ state: "active", updatedAt: 9 }, ["blocked"]);
      check(
        applied?.state === "active" && applied.updatedAt === 9,
        "an update from a listed state must apply",
      );
      const noop = await tenant.update({}, ["active"]);
      check(noop?.state === "active", "an empty patch from a listed state resolves the record");
      check(
        (await tenant.update({}, ["blocked"])) === undefined,
        "an empty patch from another state: undefined",
      );
    });
  });

  t.it("update of an unknown tenant resolves undefined and creates nothing", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      check(
        (await tenant.update({ state: "active" })) === undefined,
        "update without a record must be undefined",
      );
      check((await tenant.get()) === undefined, "update must not create a record");
    });
  });

  t.it("of ten concurrent guarded transitions exactly one applies", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      await tenant.put(tenantRecord({ state: "installing" }));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          tenant.update({ state: "active", stateReason: `winner ${i}` }, ["installing"]),
        ),
      );
      const winners = results.filter((r) => r !== undefined);
      check(winners.length === 1, `exactly one guarded transition may apply, ${winners.length} did`);
      check(
        (await tenant.get())?.stateReason === winners[0]!.stateReason,
        "the winner's change must be stored",
      );
    });
  });

  t.it("admin.tenants lists every tenant by member_id, filtered by state", async () => {
    await withStore(make, async (store) => {
      const ids = [memberId(), memberId(), memberId()];
      await store.tenant(ids[0]!).put(tenantRecord({ state: "active" }));
      await store.tenant(ids[1]!).put(tenantRecord({ state: "blocked" }));
      await store.tenant(ids[2]!).put(tenantRecord({ state: "uninstalled" }));
      const all = await store.admin.tenants();
      sameJson(
        all.map((r) => r.memberId),
        [...ids].sort(),
        "every tenant, ordered by member_id",
      );
      check(
        all.every((r) => r.scopes.length === 3),
        "listed records must be complete",
      );
      const live = await store.admin.tenants({ states: ["active", "blocked"] });
      sameJson(
        live.map((r) => r.memberId),
        [ids[0], ids[1]].sort(),
        "only tenants in the given states",
      );
      check((await store.admin.tenants({ states: [] })).length === 3, "an empty state list means no filter");
    });
  });
}
