import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppStore, AuditLog, auditHooks, auditRefresh, type StoredAuditEntry } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  B24Error,
  createB24Client,
  DEFAULT_RETRY,
  MemoryTokenStore,
  oauthAuth,
  tokensFromAuth,
  webhookAuth,
} from "@b24kit/rest";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-audit-hooks-"));
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

let store: AppStore;
let n = 0;
beforeEach(async () => {
  store = sqliteStore({ file: join(dir, `hooks-${++n}.db`) });
  await store.migrate();
  return () => store.close();
});

/** Short backoff: the retries are real, the waits need not be long. */
const FAST_RETRY = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20 };

/**
 * Rows in a fixed order: by correlation id, action and attempt. (Time does not
 * fix it: lines written in one millisecond tie, and a call's own line carries
 * the call's start, before the retries and refreshes it met.)
 */
async function rows(memberId: string): Promise<StoredAuditEntry[]> {
  const key = (r: StoredAuditEntry) => `${r.correlationId} ${r.action} ${r.detail?.attempt ?? ""}`;
  return (await store.tenant(memberId).audit.query({ limit: 1000 })).sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
}

describe("auditHooks on a real client", () => {
  it("records each call with status, attempts, waits and the rate-limit refusal and retries it met", async () => {
    const portal = await testPortal(emu);
    const audit = new AuditLog(store);
    let current = "job-1";
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      retry: FAST_RETRY,
      ...auditHooks(audit, portal.memberId, () => current),
    });
    await control(emu).fault(portal.memberId, {
      method: "crm.deal.list",
      count: 1,
      status: 503,
      error: "QUERY_LIMIT_EXCEEDED",
    });
    await client.call("crm.deal.list", { select: ["ID"] });
    current = "job-2";
    await control(emu).fault(portal.memberId, {
      method: "profile",
      count: 2,
      status: 500,
      error: "INTERNAL_SERVER_ERROR",
    });
    await client.call("profile");
    await audit.flush();

    const all = await rows(portal.memberId);
    expect(all.map((r) => [r.correlationId, r.kind, r.action, r.outcome])).toEqual([
      ["job-1", "rest", "crm.deal.list", "ok"],
      ["job-1", "rest", "rate-limit crm.deal.list", "rejected"],
      ["job-1", "rest", "retry crm.deal.list", "error"],
      ["job-2", "rest", "profile", "ok"],
      ["job-2", "rest", "retry profile", "error"],
      ["job-2", "rest", "retry profile", "error"],
    ]);
    // A limit refusal is not an attempt: the call went through on its first, after waiting.
    expect(all[0]!.detail).toMatchObject({
      status: 200,
      attempts: 1,
      renewed: false,
      params: { select: ["ID"] },
    });
    expect(all[0]!.detail!.waitedMs).toBeGreaterThan(0);
    expect(all[1]!.detail).toEqual({ reason: "QUERY_LIMIT_EXCEEDED", waitMs: 0 });
    expect(all[2]!.detail).toMatchObject({ attempt: 1, errorCode: "QUERY_LIMIT_EXCEEDED", limit: true });
    expect(all[3]!.detail).toMatchObject({ status: 200, attempts: 3 });
    expect(all[3]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(all[5]!.detail).toMatchObject({ attempt: 2, errorCode: "INTERNAL_SERVER_ERROR", limit: false });
  });

  it("records a failed call with its error code, and the refresh when the tokens expire", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId);
    const audit = new AuditLog(store);
    const tokens = new MemoryTokenStore(tokensFromAuth(app.auth));
    const client = createB24Client({
      limits: false,
      retry: FAST_RETRY,
      auth: oauthAuth({
        memberId: portal.memberId,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        store: tokens,
        onRefresh: auditRefresh(audit, portal.memberId, "req-r"),
      }),
      ...auditHooks(audit, portal.memberId, "req-r"),
    });
    await expect(client.call("no.such.method")).rejects.toBeInstanceOf(B24Error);
    await control(emu).advanceClock(3_700);
    await client.call("profile");
    await audit.flush();

    const all = await rows(portal.memberId);
    expect(all.map((r) => [r.kind, r.action, r.outcome])).toEqual([
      ["rest", "no.such.method", "error"],
      ["rest", "profile", "ok"],
      ["oauth", "refresh_token", "ok"],
    ]);
    expect(all[0]!.detail).toMatchObject({ status: 404, errorCode: "ERROR_METHOD_NOT_FOUND", attempts: 1 });
    expect(all[1]!.detail).toMatchObject({ status: 200, renewed: true });
    expect(all[2]!.detail).toMatchObject({ scope: expect.any(String) });
    expect(Date.parse(all[2]!.detail!.expiresAt as string)).toBeGreaterThan(Date.now());
    expect(all.every((r) => r.correlationId === "req-r")).toBe(true);
  });

  it("records a renewal that failed because the refresh token is dead", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId);
    const audit = new AuditLog(store);
    const client = createB24Client({
      limits: false,
      retry: FAST_RETRY,
      auth: oauthAuth({
        memberId: portal.memberId,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        store: new MemoryTokenStore(tokensFromAuth(app.auth)),
        onRefresh: auditRefresh(audit, portal.memberId),
      }),
      ...auditHooks(audit, portal.memberId),
    });
    // 181 days later the refresh token (180 days, docs/protocol.md §1.4) is dead too.
    await control(emu).advanceClock(181 * 86_400);
    const failure = await client.call("profile").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(B24Error);
    expect((failure as B24Error).code).toBe("invalid_grant");
    await audit.flush();

    const all = (await rows(portal.memberId)).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(all.map((r) => [r.kind, r.action, r.outcome, r.detail?.errorCode])).toEqual([
      ["oauth", "refresh_token", "error", "invalid_grant"],
      ["rest", "profile", "error", "invalid_grant"],
    ]);
    expect(all[0]!.detail).toMatchObject({ trigger: "expired_token", method: "profile" });
    // No correlation id given: each line gets its own.
    expect(all[0]!.correlationId).not.toBe(all[1]!.correlationId);
  });
});
