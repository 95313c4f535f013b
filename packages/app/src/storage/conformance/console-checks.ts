import type { TestApi } from "@b24kit/rest/testing";
import { type AppStoreFactory, auditEntry, check, memberId, sameJson, withStore } from "./conformance-kit.js";

/** What the operator console reads: audit search by action and error code, per-tenant counts, metric samples. */
export function consoleChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("audit: action and errorCode filters match exactly, for a tenant and across tenants", async () => {
    await withStore(make, async (store) => {
      const a = store.tenant(memberId());
      const b = store.tenant(memberId());
      const failed = (code: string) => ({ status: 400, errorCode: code });
      await a.audit.append(auditEntry({ at: 1, action: "crm.deal.get", detail: failed("ERROR_NOT_FOUND") }));
      await a.audit.append(auditEntry({ at: 2, action: "crm.deal.get", detail: { status: 200 } }));
      await a.audit.append(auditEntry({ at: 3, action: "crm.deal.list", detail: failed("ERROR_NOTXFOUND") }));
      await a.audit.append(
        auditEntry({ at: 4, action: "retry crm.deal.get", detail: failed("error_not_found") }),
      );
      await a.audit.append(auditEntry({ at: 5, action: "crm.deal.get2", detail: failed('QUOTE"D') }));
      await b.audit.append(auditEntry({ at: 6, action: "crm.deal.get", detail: failed("ERROR_NOT_FOUND") }));
      const at = async (filter: Parameters<typeof a.audit.query>[0]) =>
        (await a.audit.query(filter)).map((e) => e.at);
      sameJson(await at({ action: "crm.deal.get" }), [2, 1], "action is an exact match");
      sameJson(
        await at({ errorCode: "ERROR_NOT_FOUND" }),
        [1],
        "errorCode: exact, `_` is no wildcard, case counts",
      );
      sameJson(await at({ errorCode: 'QUOTE"D' }), [5], "errorCode with a quote");
      sameJson(await at({ errorCode: "ERROR" }), [], "a part of a code matches nothing");
      sameJson(await at({ action: "crm.deal.get", errorCode: "ERROR_NOT_FOUND", since: 1 }), [1], "combined");
      sameJson(
        (await store.admin.audit({ errorCode: "ERROR_NOT_FOUND" })).map((e) => [e.memberId, e.at]),
        [
          [b.memberId, 6],
          [a.memberId, 1],
        ],
        "across tenants",
      );
    });
  });

  t.it("admin.auditActivity counts each tenant's lines in the window by what they were", async () => {
    await withStore(make, async (store) => {
      const [idA, idB] = [memberId(), memberId()].sort();
      const a = store.tenant(idA!);
      const b = store.tenant(idB!);
      await a.audit.append(auditEntry({ at: 100, action: "crm.deal.get" }));
      await a.audit.append(auditEntry({ at: 110, action: "crm.deal.get", outcome: "error" }));
      await a.audit.append(auditEntry({ at: 120, action: "retry crm.deal.get", outcome: "error" }));
      await a.audit.append(auditEntry({ at: 130, action: "rate-limit crm.deal.get", outcome: "rejected" }));
      await a.audit.append(
        auditEntry({ at: 140, kind: "event", action: "ONCRMDEALADD", detail: { deadLetter: false } }),
      );
      await a.audit.append(
        auditEntry({ at: 150, kind: "event", action: "ONCRMDEALADD", detail: { deadLetter: true } }),
      );
      await a.audit.append(auditEntry({ at: 160, kind: "security", action: "POST /b24/events" }));
      await a.audit.append(auditEntry({ at: 10, action: "crm.deal.get" }));
      await b.audit.append(auditEntry({ at: 200, kind: "inbound", action: "POST /" }));
      await b.audit.append(auditEntry({ at: 999, action: "crm.deal.get" }));
      sameJson(
        await store.admin.auditActivity({ since: 100, until: 999 }),
        [
          {
            memberId: a.memberId,
            lines: 7,
            lastAt: 160,
            restCalls: 2,
            restErrors: 1,
            limitWaits: 1,
            eventFailures: 2,
            deadLetters: 1,
            security: 1,
          },
          {
            memberId: b.memberId,
            lines: 1,
            lastAt: 200,
            restCalls: 0,
            restErrors: 0,
            limitWaits: 0,
            eventFailures: 0,
            deadLetters: 0,
            security: 0,
          },
        ],
        "counts per tenant, by member_id, within the window",
      );
      const all = await store.admin.auditActivity();
      check(all.length === 2 && all[0]?.lines === 8 && all[1]?.lastAt === 999, "no window: every line");
      sameJson(await store.admin.auditActivity({ since: 5_000 }), [], "nothing in the window: no rows");
    });
  });

  t.it("metric samples: round trip, oldest first, window, newest `limit`, duplicates, prune", async () => {
    await withStore(make, async (store) => {
      const admin = store.admin;
      const series = (n: number) => ({
        'b24kit_rest_calls_total{method="crm.deal.get",outcome="ok"}': n,
        'b24kit_queue_jobs{state="waiting"}': n / 2,
      });
      for (const at of [300, 100, 200])
        await admin.appendMetricSample({ at, instance: "p1", series: series(at) });
      await admin.appendMetricSample({ at: 200, instance: "p2", series: series(7) });
      await admin.appendMetricSample({ at: 200, instance: "p2", series: series(8) });
      await admin.appendMetricSample({ at: 400, instance: "p1", series: { good: 1, bad: Number.NaN } });
      const samples = await admin.metricSamples();
      sameJson(
        samples.map((s) => [s.at, s.instance]),
        [
          [100, "p1"],
          [200, "p1"],
          [200, "p2"],
          [300, "p1"],
          [400, "p1"],
        ],
        "oldest first; the same instance and time twice keeps the first",
      );
      sameJson(samples[0], { at: 100, instance: "p1", series: series(100) }, "every field round-trips");
      check(samples[2]?.series['b24kit_queue_jobs{state="waiting"}'] === 3.5, "fractions stay");
      sameJson(samples[4]?.series, { good: 1 }, "values that are not finite numbers are left out");
      sameJson(
        (await admin.metricSamples({ since: 200, until: 400 })).map((s) => s.at),
        [200, 200, 300],
        "since inclusive, until exclusive",
      );
      sameJson(
        (await admin.metricSamples({ limit: 2 })).map((s) => s.at),
        [300, 400],
        "limit keeps the newest, still oldest first",
      );
      const tenant = store.tenant(memberId());
      await tenant.purge();
      check((await admin.metricSamples()).length === 5, "a tenant's purge leaves the app-wide samples");
      check((await admin.pruneMetricSamples(300)) === 3, "pruneMetricSamples resolves how many went");
      sameJson(
        (await admin.metricSamples()).map((s) => s.at),
        [300, 400],
        "samples at `before` stay",
      );
    });
  });
}
