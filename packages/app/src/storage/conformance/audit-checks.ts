import type { TestApi } from "@b24kit/rest/testing";
import { type AppStoreFactory, auditEntry, check, memberId, sameJson, withStore } from "./conformance-kit.js";

/** The audit log: round trip, order, filters, limits, redaction on the way in, retention. */
export function auditChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("audit: a line comes back with every field, numbers as numbers", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      await tenant.audit.append(auditEntry());
      await tenant.audit.append({
        at: 1,
        kind: "lifecycle",
        correlationId: "c",
        action: "install",
        outcome: "ok",
      });
      const [newest, oldest] = await tenant.audit.query();
      check(typeof newest?.id === "number" && typeof newest.at === "number", "id and at must be numbers");
      const { id: _id, ...entry } = newest!;
      sameJson(entry, { memberId: tenant.memberId, ...auditEntry() }, "every field must round-trip");
      const { id: _id2, ...bare } = oldest!;
      sameJson(
        bare,
        {
          memberId: tenant.memberId,
          at: 1,
          kind: "lifecycle",
          correlationId: "c",
          action: "install",
          outcome: "ok",
        },
        "optional fields left out stay out",
      );
    });
  });

  t.it("audit: newest first, lines with the same time in reverse order of writing", async () => {
    await withStore(make, async (store) => {
      const audit = store.tenant(memberId()).audit;
      for (const [at, action] of [
        [20, "b"],
        [10, "a"],
        [30, "c"],
        [30, "d"],
        [20, "e"],
      ] as const) {
        await audit.append(auditEntry({ at, action }));
      }
      sameJson(
        (await audit.query()).map((e) => e.action),
        ["d", "c", "e", "b", "a"],
        "newest first",
      );
    });
  });

  t.it("audit: since (inclusive), until (exclusive), kinds, correlationId, limit", async () => {
    await withStore(make, async (store) => {
      const audit = store.tenant(memberId()).audit;
      await audit.append(auditEntry({ at: 100, kind: "rest", correlationId: "x", action: "r100" }));
      await audit.append(auditEntry({ at: 200, kind: "inbound", correlationId: "y", action: "i200" }));
      await audit.append(auditEntry({ at: 300, kind: "oauth", correlationId: "x", action: "o300" }));
      await audit.append(auditEntry({ at: 400, kind: "rest", correlationId: "y", action: "r400" }));
      const actions = async (filter: Parameters<typeof audit.query>[0]) =>
        (await audit.query(filter)).map((e) => e.action);
      sameJson(await actions({ since: 200 }), ["r400", "o300", "i200"], "since is inclusive");
      sameJson(await actions({ until: 300 }), ["i200", "r100"], "until is exclusive");
      sameJson(await actions({ since: 200, until: 400 }), ["o300", "i200"], "a time window");
      sameJson(await actions({ kinds: ["rest", "oauth"] }), ["r400", "o300", "r100"], "kinds");
      sameJson(await actions({ kinds: [] }), ["r400", "o300", "i200", "r100"], "empty kinds: every kind");
      sameJson(await actions({ correlationId: "x" }), ["o300", "r100"], "correlationId");
      sameJson(await actions({ correlationId: "y", kinds: ["rest"] }), ["r400"], "filters combine");
      sameJson(await actions({ limit: 2 }), ["r400", "o300"], "limit keeps the newest");
      sameJson(await actions({ limit: 0 }), [], "limit 0");
      sameJson(await actions({ limit: -5 }), [], "a negative limit is 0");
    });
  });

  t.it("audit: 100 lines by default", async () => {
    await withStore(make, async (store) => {
      const audit = store.tenant(memberId()).audit;
      for (let at = 1; at <= 105; at++) await audit.append(auditEntry({ at }));
      const lines = await audit.query();
      check(lines.length === 100, `the default limit is 100, got ${lines.length}`);
      check(lines[0]?.at === 105 && lines[99]?.at === 6, "the default page holds the newest lines");
      check((await audit.query({ limit: 1000 })).length === 105, "a larger limit returns every line");
    });
  });

  t.it("audit: secrets in detail and action are redacted on the way in", async () => {
    await withStore(make, async (store) => {
      const tenant = store.tenant(memberId());
      await tenant.audit.append(
        auditEntry({
          action: "POST /b24/event?auth=SECRET-IN-ACTION",
          detail: {
            access_token: "SECRET-ACCESS",
            nested: { refresh_token: "SECRET-REFRESH", kept: "visible" },
            url: "https://acme.bitrix24.com/rest/crm.deal.get?auth=SECRET-URL&id=1",
          },
        }),
      );
      const [line] = await tenant.audit.query();
      const text = JSON.stringify(line);
      check(!/SECRET/.test(text), `no secret may be stored: ${text}`);
      check(text.includes("visible") && text.includes("id=1"), "what is not secret must stay");
    });
  });

  t.it("admin.appendAudit writes each line under its own tenant, redacted, in one go", async () => {
    await withStore(make, async (store) => {
      const a = store.tenant(memberId());
      const b = store.tenant(memberId());
      const lines = Array.from({ length: 450 }, (_, i) => ({
        ...auditEntry({ at: i, action: `line${i}` }),
        memberId: i % 3 === 0 ? b.memberId : a.memberId,
      }));
      lines[1] = { ...lines[1]!, detail: { access_token: "SECRET-in-batch", note: "kept" } };
      await store.admin.appendAudit(lines);
      check((await a.audit.query({ limit: 1000 })).length === 300, "tenant a must have its 300 lines");
      check((await b.audit.query({ limit: 1000 })).length === 150, "tenant b must have its 150 lines");
      const text = JSON.stringify(await a.audit.query({ limit: 1000 }));
      check(!/SECRET-in-batch/.test(text) && text.includes("kept"), "a batch is redacted like single lines");
      await store.admin.appendAudit([]);
    });
  });

  t.it(
    "admin.audit reads every tenant's lines newest first; pruneAudit removes old lines of all",
    async () => {
      await withStore(make, async (store) => {
        const a = store.tenant(memberId());
        const b = store.tenant(memberId());
        await a.audit.append(auditEntry({ at: 100, action: "a100" }));
        await b.audit.append(auditEntry({ at: 150, action: "b150", kind: "security" }));
        await a.audit.append(auditEntry({ at: 200, action: "a200" }));
        await b.audit.append(auditEntry({ at: 300, action: "b300" }));
        sameJson(
          (await store.admin.audit()).map((e) => e.action),
          ["b300", "a200", "b150", "a100"],
          "all tenants",
        );
        sameJson(
          (await store.admin.audit({ since: 150, kinds: ["rest"], limit: 1 })).map((e) => [
            e.memberId,
            e.action,
          ]),
          [[b.memberId, "b300"]],
          "filters apply across tenants",
        );
        check((await store.admin.pruneAudit(200)) === 2, "pruneAudit must resolve how many lines went");
        sameJson(
          (await store.admin.audit()).map((e) => e.action),
          ["b300", "a200"],
          "lines at `before` stay",
        );
        check((await store.admin.pruneAudit(200)) === 0, "nothing left to prune");
      });
    },
  );
}
