import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AppStore,
  AuditLog,
  correlationIdFrom,
  createLogger,
  isSaneCorrelationId,
  mergeClientHooks,
  queryAuditLog,
  recordInbound,
  recordOAuth,
} from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { FakeClock } from "@b24kit/rest/testing";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "b24kit-audit-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const M1 = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const M2 = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

let n = 0;
async function freshStore(): Promise<AppStore> {
  const store = sqliteStore({ file: join(dir, `audit-${++n}.db`) });
  await store.migrate();
  return store;
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(l) } });
  return { lines, logger, parsed: () => lines.map((l) => JSON.parse(l)) };
}

let store: AppStore;
beforeEach(async () => {
  store = await freshStore();
  return () => store.close();
});

describe("AuditLog.record", () => {
  it("writes a redacted, timestamped row under the tenant", async () => {
    const audit = new AuditLog(store, { clock: new FakeClock(T0) });
    await audit.record(M1, {
      kind: "inbound",
      action: "POST /b24/placement?AUTH_ID=leaked-in-action",
      outcome: "ok",
      correlationId: "req-1",
      durationMs: 12.4,
      detail: { form: { AUTH_ID: "secret-auth-id", PLACEMENT: "CRM_DEAL_DETAIL_TAB" }, userId: 7 },
    });
    const [row, ...rest] = await store.tenant(M1).audit.query();
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      memberId: M1,
      at: T0,
      kind: "inbound",
      correlationId: "req-1",
      outcome: "ok",
      durationMs: 12,
      detail: { form: { AUTH_ID: "[redacted]", PLACEMENT: "CRM_DEAL_DETAIL_TAB" }, userId: 7 },
    });
    expect(row!.action).toBe("POST /b24/placement?AUTH_ID=[redacted]");
    expect(await store.tenant(M2).audit.query()).toEqual([]);
  });

  it("replaces a missing or insane correlation id with a new one", async () => {
    const audit = new AuditLog(store);
    await audit.record(M1, { kind: "rest", action: "profile", outcome: "ok" });
    await audit.record(M1, {
      kind: "rest",
      action: "profile",
      outcome: "ok",
      correlationId: "bad id\n{forged}",
    });
    const rows = await store.tenant(M1).audit.query();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0]!.correlationId).not.toBe(rows[1]!.correlationId);
  });

  it("cuts a huge detail down to size", async () => {
    const audit = new AuditLog(store);
    await audit.record(M1, {
      kind: "rest",
      action: "crm.deal.add",
      outcome: "ok",
      detail: {
        params: { fields: { COMMENTS: "x".repeat(50_000) }, ids: Array.from({ length: 500 }, (_, i) => i) },
      },
    });
    const [row] = await store.tenant(M1).audit.query();
    expect(JSON.stringify(row!.detail).length).toBeLessThan(9_000);
    const params = row!.detail!.params as { fields: { COMMENTS: string }; ids: unknown[] };
    expect(params.fields.COMMENTS).toMatch(/^x{1000}…\[cut\]$/);
    expect(params.ids).toHaveLength(21);
  });

  it("never rejects when the store fails: the entry is logged, counted and dropped", async () => {
    const log = capture();
    const drops: string[] = [];
    const broken = await freshStore();
    await broken.admin.audit(); // opens the connection, so that close() really closes it
    await broken.close();
    const audit = new AuditLog(broken, { logger: log.logger, onDrop: (reason) => drops.push(reason) });
    await expect(
      audit.record(M1, {
        kind: "oauth",
        action: "refresh_token",
        outcome: "ok",
        detail: { refresh_token: "rt-secret-1" },
      }),
    ).resolves.toBeUndefined();
    expect(audit.stats()).toEqual({ written: 0, failed: 1, dropped: 0, pending: 0 });
    expect(drops).toEqual(["write_failed"]);
    const dropped = log.parsed().find((l) => l.msg === "audit entry dropped");
    expect(dropped).toMatchObject({
      level: "warn",
      member_id: M1,
      reason: "write_failed",
      audit: { kind: "oauth" },
    });
    expect(log.lines.join("")).not.toContain("rt-secret-1");
  });

  it("drops writes beyond the backlog limit instead of queueing without bound", async () => {
    const audit = new AuditLog(store, { maxPending: 2 });
    const writes = [1, 2, 3, 4].map((i) =>
      audit.record(M1, { kind: "rest", action: `m${i}`, outcome: "ok" }),
    );
    expect(audit.stats().pending).toBe(2);
    await Promise.all(writes);
    await audit.flush();
    expect(audit.stats()).toEqual({ written: 2, failed: 0, dropped: 2, pending: 0 });
    expect((await store.tenant(M1).audit.query()).map((r) => r.action).sort()).toEqual(["m1", "m2"]);
  });

  it("logs but does not store entries without a tenant, and refuses malformed member ids", async () => {
    const log = capture();
    const audit = new AuditLog(store, { logger: log.logger });
    await audit.record(undefined, {
      kind: "security",
      action: "POST /b24/placement",
      outcome: "rejected",
      detail: { reason: "unknown portal" },
    });
    await audit.record("../../etc/passwd x", { kind: "inbound", action: "POST /", outcome: "ok" });
    expect(await store.admin.audit()).toEqual([]);
    expect(audit.stats()).toMatchObject({ written: 0, dropped: 1 });
    const rejected = log.parsed().find((l) => l.audit?.outcome === "rejected");
    expect(rejected).toMatchObject({
      level: "warn",
      audit: { kind: "security", detail: { reason: "unknown portal" } },
    });
  });

  it("logs one line per entry with member_id and correlation_id, at a level by outcome", async () => {
    const log = capture();
    const audit = new AuditLog(store, { logger: log.logger });
    await audit.record(M1, { kind: "rest", action: "profile", outcome: "ok", correlationId: "c-1" });
    await audit.record(M1, { kind: "rest", action: "crm.deal.list", outcome: "error", correlationId: "c-1" });
    expect(log.parsed().map((l) => [l.level, l.member_id, l.correlation_id, l.audit.action])).toEqual([
      ["debug", M1, "c-1", "profile"],
      ["info", M1, "c-1", "crm.deal.list"],
    ]);
  });
});

describe("recordInbound and recordOAuth", () => {
  it("records an inbound request by route, with its redacted query in the detail", async () => {
    const audit = new AuditLog(store, { clock: new FakeClock(T0) });
    await recordInbound(audit, {
      memberId: M1,
      correlationId: "req-9",
      surface: "oauth-redirect",
      method: "get",
      url: "https://app.example.com/oauth/callback?code=3f5a7c9e1b2d4f6a8c0e2b4d6f8a0c1e&state=s1&member_id=m",
      outcome: "rejected",
      status: 403,
      durationMs: 3,
      errorCode: "STATE_MISMATCH",
    });
    const [row] = await store.tenant(M1).audit.query();
    expect(row).toMatchObject({
      kind: "inbound",
      action: "GET /oauth/callback",
      outcome: "rejected",
      durationMs: 3,
      detail: {
        surface: "oauth-redirect",
        status: 403,
        url: "/oauth/callback?code=[redacted]&state=s1&member_id=m",
        errorCode: "STATE_MISMATCH",
      },
    });
  });

  it("records an OAuth exchange with grant type, outcome and error code, never the secrets", async () => {
    const audit = new AuditLog(store);
    await recordOAuth(audit, {
      memberId: M1,
      grantType: "authorization_code",
      outcome: "error",
      errorCode: "invalid_grant",
      durationMs: 40,
      detail: {
        request: { client_secret: "cs-should-not-be-here", code: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
      },
    });
    const [row] = await store.tenant(M1).audit.query();
    expect(row).toMatchObject({
      kind: "oauth",
      action: "authorization_code",
      outcome: "error",
      detail: { errorCode: "invalid_grant", request: { client_secret: "[redacted]", code: "[redacted]" } },
    });
  });
});

describe("queryAuditLog", () => {
  async function seed() {
    const audit = new AuditLog(store);
    const rows: Array<[string, number, "rest" | "inbound" | "oauth", string]> = [
      [M1, T0, "inbound", "c-1"],
      [M1, T0 + 1_000, "rest", "c-1"],
      [M1, T0 + 2_000, "rest", "c-2"],
      [M1, T0 + 3_000, "oauth", "c-2"],
      [M2, T0 + 1_500, "rest", "c-3"],
    ];
    for (const [member, at, kind, correlationId] of rows) {
      await audit.record(member, { kind, action: `${kind}@${at - T0}`, outcome: "ok", at, correlationId });
    }
  }

  it("reads one tenant's rows, newest first, filtered by time, kind and correlation id", async () => {
    await seed();
    const actions = async (q: Parameters<typeof queryAuditLog>[1]) =>
      (await queryAuditLog(store, q)).map((r) => r.action);
    expect(await actions({ memberId: M1 })).toEqual(["oauth@3000", "rest@2000", "rest@1000", "inbound@0"]);
    expect(await actions({ memberId: M1, since: T0 + 1_000, until: T0 + 3_000 })).toEqual([
      "rest@2000",
      "rest@1000",
    ]);
    expect(await actions({ memberId: M1, kinds: ["rest", "oauth"], limit: 2 })).toEqual([
      "oauth@3000",
      "rest@2000",
    ]);
    expect(await actions({ memberId: M1, correlationId: "c-1" })).toEqual(["rest@1000", "inbound@0"]);
    expect(await actions({ memberId: M2 })).toEqual(["rest@1500"]);
  });

  it("reads across tenants without a member id", async () => {
    await seed();
    const rows = await queryAuditLog(store, { kinds: ["rest"] });
    expect(rows.map((r) => [r.memberId, r.action])).toEqual([
      [M1, "rest@2000"],
      [M2, "rest@1500"],
      [M1, "rest@1000"],
    ]);
  });

  it("refuses a query that cannot be right, saying why", async () => {
    await expect(queryAuditLog(store, { limit: 0 })).rejects.toThrow(/limit must be/);
    await expect(queryAuditLog(store, { limit: 10_001 })).rejects.toThrow(/limit must be/);
    await expect(queryAuditLog(store, { since: T0 + 1, until: T0 })).rejects.toThrow(/since is after until/);
    await expect(queryAuditLog(store, { kinds: ["rest", "nope" as "rest"] })).rejects.toThrow(
      /unknown audit kind/,
    );
  });
});

describe("correlation ids", () => {
  it("takes a sane X-Request-Id or X-Correlation-Id, else makes one", () => {
    expect(correlationIdFrom(new Headers({ "x-request-id": "abc-123" }))).toBe("abc-123");
    expect(correlationIdFrom({ "x-correlation-id": "trace:1.2" })).toBe("trace:1.2");
    expect(correlationIdFrom({ "x-request-id": ["first", "second"] })).toBe("first");
    const generated = [
      correlationIdFrom(new Headers()),
      correlationIdFrom({ "x-request-id": "has space" }),
      correlationIdFrom({ "x-request-id": "x".repeat(129) }),
      correlationIdFrom({ "x-request-id": "line\r\nbreak" }),
      correlationIdFrom(undefined),
    ];
    for (const id of generated)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(generated).size).toBe(generated.length);
    expect(isSaneCorrelationId("x".repeat(128))).toBe(true);
    expect(isSaneCorrelationId("")).toBe(false);
  });
});

describe("mergeClientHooks", () => {
  it("calls every set's hook in order, even after one throws", () => {
    const calls: string[] = [];
    const merged = mergeClientHooks(
      {
        onRetry: () => {
          calls.push("a");
          throw new Error("broken hook");
        },
      },
      undefined,
      { onRetry: () => void calls.push("b"), onDomainMoved: () => void calls.push("moved") },
    );
    merged.onRetry!({ portal: "p", method: "m", attempt: 1, delayMs: 0, code: "X", limit: false });
    expect(calls).toEqual(["a", "b"]);
    expect(merged.onAudit).toBeUndefined();
    expect(typeof merged.onDomainMoved).toBe("function");
  });
});
