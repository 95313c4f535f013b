import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuditLog,
  auditHooks,
  auditRefresh,
  contextLogger,
  correlationIdFrom,
  createLogger,
  mergeClientHooks,
  recordInbound,
  recordOAuth,
} from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { control, handlerServer, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  B24Error,
  createB24Client,
  MemoryTokenStore,
  oauthAuth,
  tokensFromAuth,
  webhookAuth,
} from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";

// One realistic sequence through everything that writes the audit log and the
// logs, with real secrets from the emulator; then every byte written is scanned.
const emu = await testEmulator();
const handler = await handlerServer();
const dir = mkdtempSync(join(tmpdir(), "b24kit-audit-security-"));
afterAll(async () => {
  await handler.close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every secret value the sequence met, by name, so a failure names what leaked. */
const secrets = new Map<string, string>();
function secret(name: string, value: unknown): string {
  expect(typeof value === "string" && value.length >= 8, `${name} should be a real secret`).toBe(true);
  secrets.set(name, value as string);
  return value as string;
}

describe("no secret reaches the audit table or the logs", () => {
  it("scans every audit row, the database files and every log line after a realistic run", async () => {
    const portal = await testPortal(emu);
    const memberId = portal.memberId;
    const app = await installApp(emu, memberId, {
      scopes: ["crm", "user", "placement"],
      appUrl: handler.url,
      local: false,
    });
    secret("client_secret", app.clientSecret);
    secret("install access_token", app.auth.access_token);
    secret("install refresh_token", app.auth.refresh_token);
    secret("application_token", app.applicationToken);
    const webhookCode = /\/rest\/\d+\/([^/]+)\/?$/.exec(new URL(portal.adminWebhookUrl).pathname)![1]!;
    secret("webhook code", webhookCode);

    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      destination: { write: (l: string) => void lines.push(l) },
    });
    const file = join(dir, "audit.db");
    const store = sqliteStore({ file });
    await store.migrate();
    const audit = new AuditLog(store, { logger });

    // 1. The install POST (headless), recorded and logged carelessly with the whole auth payload.
    const installId = correlationIdFrom(new Headers({ "x-request-id": "install-req-1" }));
    const log = contextLogger(logger, { memberId, correlationId: installId });
    log.info({ auth: app.auth, body: `auth[access_token]=${app.auth.access_token}` }, "install received");
    await recordInbound(audit, {
      memberId,
      correlationId: installId,
      surface: "install",
      method: "POST",
      url: "/b24/install",
      outcome: "ok",
      status: 200,
      durationMs: 5,
      detail: { form: { event: "ONAPPINSTALL", auth: app.auth }, application_token: app.applicationToken },
    });

    // 2. REST calls through a real client (OAuth), tokens in parameters and URLs, a failure, a batch,
    //    then the access token expires and the client refreshes (client_secret goes to the OAuth server).
    const tokens = new MemoryTokenStore(tokensFromAuth(app.auth));
    const client = createB24Client({
      limits: false,
      auth: oauthAuth({
        memberId,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        store: tokens,
        onRefresh: auditRefresh(audit, memberId, installId),
      }),
      ...mergeClientHooks(auditHooks(audit, memberId, () => installId)),
    });
    await client.call("placement.bind", {
      PLACEMENT: "CRM_DEAL_DETAIL_TAB",
      HANDLER: handler.url,
      TITLE: "Insights",
    });
    await client.call("crm.deal.add", {
      fields: {
        TITLE: "Deal with secrets in it",
        COMMENTS: `see ${portal.adminWebhookUrl}profile?auth=${app.auth.access_token}`,
      },
      access_token: app.auth.access_token,
    });
    // The command carries the token in its query: `cmd[deals]=crm.deal.list?select[0]=ID&auth=…`.
    const batch = await client.batch({
      deals: ["crm.deal.list", { select: ["ID"], auth: app.auth.access_token }],
      me: { method: "profile", params: { refresh_token: app.auth.refresh_token } },
    });
    expect(batch.ok).toBe(true);
    const missing = await client.call("no.such.method").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(B24Error);
    log.warn({ err: missing }, "call failed");
    await control(emu).advanceClock(3_700);
    await client.call("profile");
    const refreshed = (await tokens.load())!.tokens;
    secret("refreshed access_token", refreshed.accessToken);
    secret("refreshed refresh_token", refreshed.refreshToken);
    expect(refreshed.refreshToken).not.toBe(app.auth.refresh_token);

    // 3. A webhook client (its URL is the credential), logged with its URL.
    const hookClient = createB24Client({
      limits: false,
      auth: webhookAuth(portal.adminWebhookUrl),
      ...auditHooks(audit, memberId),
    });
    await hookClient.call("user.current");
    logger.info({ webhook: portal.adminWebhookUrl }, "webhook client ready");

    // 4. A user opens the deal tab: the portal POSTs AUTH_ID, REFRESH_ID, APPLICATION_TOKEN (§2.2).
    const opened = await control(emu).openPlacement(memberId, {
      clientId: app.clientId,
      placement: "CRM_DEAL_DETAIL_TAB",
      options: { ID: 1 },
    });
    const sent = await fetch(opened.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-correlation-id": "placement-req-7" },
      body: new URLSearchParams(opened.fields).toString(),
    });
    expect(sent.status).toBe(200);
    const [placement] = await handler.waitFor((r) => r.body.PLACEMENT === "CRM_DEAL_DETAIL_TAB");
    secret("placement AUTH_ID", placement!.body.AUTH_ID);
    secret("placement REFRESH_ID", placement!.body.REFRESH_ID);
    expect(placement!.body.APPLICATION_TOKEN ?? placement!.body.auth?.application_token).toBe(
      app.applicationToken,
    );
    const placementId = correlationIdFrom(placement!.headers);
    expect(placementId).toBe("placement-req-7");
    contextLogger(logger, { memberId, correlationId: placementId }).info(
      { raw: placement!.raw, form: placement!.body, headers: placement!.headers },
      "placement request",
    );
    await recordInbound(audit, {
      memberId,
      correlationId: placementId,
      surface: "placement",
      method: placement!.method,
      url: `${placement!.path}${placement!.path.includes("?") ? "&" : "?"}AUTH_ID=${placement!.body.AUTH_ID}`,
      outcome: "ok",
      status: 200,
      durationMs: 9,
      detail: { form: placement!.body, raw: placement!.raw },
    });

    // 5. The authorization-code flow: the portal redirects with ?code=, the app exchanges it
    //    (client_secret in the form), then a replay of the spent code fails with invalid_grant.
    const authorize = await fetch(
      `https://${portal.domain}/oauth/authorize/?client_id=${encodeURIComponent(app.clientId)}&state=st-1`,
      { redirect: "manual" },
    );
    expect(authorize.status).toBe(302);
    const redirect = new URL(authorize.headers.get("location")!);
    const code = secret("authorization code", redirect.searchParams.get("code"));
    const redirectId = correlationIdFrom(undefined);
    await recordInbound(audit, {
      memberId,
      correlationId: redirectId,
      surface: "oauth-redirect",
      method: "GET",
      url: redirect.toString(),
      outcome: "ok",
      status: 302,
      detail: { query: Object.fromEntries(redirect.searchParams) },
    });
    const exchange = async () => {
      const form = new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
      });
      const started = performance.now();
      const res = await fetch(`${emu.authUrl}oauth/token/`, { method: "POST", body: form });
      const body = (await res.json()) as Record<string, string>;
      const ok = res.ok && typeof body.access_token === "string";
      await recordOAuth(audit, {
        memberId,
        correlationId: redirectId,
        grantType: "authorization_code",
        outcome: ok ? "ok" : "error",
        errorCode: body.error,
        durationMs: performance.now() - started,
        detail: { request: form.toString(), response: body, status: res.status },
      });
      contextLogger(logger, { memberId, correlationId: redirectId }).info(
        { request: Object.fromEntries(form), response: body },
        "code exchanged",
      );
      return body;
    };
    const granted = await exchange();
    secret("exchanged access_token", granted.access_token);
    secret("exchanged refresh_token", granted.refresh_token);
    expect((await exchange()).error).toBe("invalid_grant");

    await audit.flush();
    expect(audit.stats()).toMatchObject({ failed: 0, dropped: 0 });

    // What the run wrote, so the scan is over something.
    const rows = await store.admin.audit({ limit: 10_000 });
    const summary = rows.map((r) => `${r.kind} ${r.action} ${r.outcome}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        "inbound POST /b24/install ok",
        "rest placement.bind ok",
        "rest crm.deal.add ok",
        "rest batch ok",
        "rest no.such.method error",
        "rest profile ok",
        "oauth refresh_token ok",
        "rest user.current ok",
        "inbound POST / ok",
        "inbound GET / ok",
        "oauth authorization_code ok",
        "oauth authorization_code error",
      ]),
    );
    const batchRow = rows.find((r) => r.action === "batch")!;
    expect(batchRow.correlationId).toBe(installId);
    expect(batchRow.detail).toMatchObject({ status: 200, commands: 2, renewed: false });
    const refreshedCall = rows.find((r) => r.action === "profile" && r.detail?.renewed === true);
    expect(refreshedCall?.detail).toMatchObject({ status: 200, attempts: 1 });
    expect(rows.find((r) => r.action === "no.such.method")!.detail).toMatchObject({
      errorCode: "ERROR_METHOD_NOT_FOUND",
    });
    expect(lines.length).toBeGreaterThan(rows.length);

    await store.close();
    const scanned: Array<[string, string]> = [
      ["audit rows", JSON.stringify(rows)],
      ["log lines", lines.join("")],
      ...[file, `${file}-wal`]
        .filter((f) => existsSync(f))
        .map((f): [string, string] => [f, readFileSync(f).toString("latin1")]),
    ];
    for (const [where, text] of scanned) {
      for (const [name, value] of secrets) {
        expect(text.includes(value), `${name} found in ${where}`).toBe(false);
      }
    }
    expect(secrets.size).toBe(12);
  });
});
