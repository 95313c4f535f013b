import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contextLogger, createLogger, redactSecrets, SECRET_FIELD_NAMES, scrubText } from "@b24kit/app";
import { afterAll, describe, expect, it } from "vitest";

/** Every line a logger writes, as text. */
function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

const dir = mkdtempSync(join(tmpdir(), "b24kit-logging-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Distinct values, so a scan names the field that leaked.
const SECRETS = {
  accessToken: "at-7d1f0c2e9a7b48c3b5e4",
  refreshToken: "rt-4f1a2d3c4b5a6e7f8091",
  applicationToken: "apptok-c0ffee11223344",
  clientSecret: "cs-Zq9LmN8pR7sT6uV5wX4",
  authId: "authid-9a8b7c6d5e4f3a2b",
  refreshId: "refreshid-1a2b3c4d5e6f",
  webhookCode: "whk5x9y8z7w6v5u4",
  oauthCode: "3f5a7c9e1b2d4f6a8c0e2b4d6f8a0c1e",
  sessionSecret: "session-secret-0123456789abcdefghij",
  sessionToken: "v1.eyJtIjoiYWJjIn0.sigpart0123456789",
  bearer: "bearerTOKEN0123456789xyz",
  cookie: "b24kit_session=cookieval0123456789",
  apiKey: "apikey-55aa66bb77cc88dd",
  password: "hunter2-but-longer-000",
  encryptionKey: "kkkkEncKeyBase64AAAAAAAAAAAAAAAAAAAAAAA=",
};

/** An object as careless code might log it: secrets at every depth and inside strings. */
function objectFullOfSecrets() {
  return {
    member_id: "6d1f0c2e9a7b48c3b5e4f1a2d3c4b5a6",
    access_token: SECRETS.accessToken,
    auth: { access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken, member_id: "m" },
    install: {
      form: {
        AUTH_ID: SECRETS.authId,
        REFRESH_ID: SECRETS.refreshId,
        APPLICATION_TOKEN: SECRETS.applicationToken,
        PLACEMENT: "CRM_DEAL_DETAIL_TAB",
      },
      deeper: {
        evenDeeper: { client_secret: SECRETS.clientSecret, nested: [{ refreshToken: SECRETS.refreshToken }] },
      },
    },
    config: {
      clientSecret: SECRETS.clientSecret,
      sessionSecret: SECRETS.sessionSecret,
      encryptionKeys: { k1: SECRETS.encryptionKey },
    },
    req: {
      method: "POST",
      url: `/oauth/callback?code=${SECRETS.oauthCode}&state=abc&member_id=m`,
      headers: {
        authorization: `Bearer ${SECRETS.bearer}`,
        cookie: SECRETS.cookie,
        "x-api-key": SECRETS.apiKey,
      },
    },
    webhook: `https://acme.bitrix24.com/rest/1/${SECRETS.webhookCode}/crm.deal.list`,
    body: `AUTH_ID=${SECRETS.authId}&REFRESH_ID=${SECRETS.refreshId}&member_id=m&APPLICATION_TOKEN=${SECRETS.applicationToken}`,
    quoted: `portal said {"error":"x","access_token":"${SECRETS.accessToken}"} then 'password': '${SECRETS.password}'`,
    sessionToken: SECRETS.sessionToken,
    code: "QUERY_LIMIT_EXCEEDED",
    errorCode: "expired_token",
  };
}

function expectNoSecret(text: string) {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(text.includes(value), `${name} leaked: ${text}`).toBe(false);
  }
}

describe("createLogger", () => {
  it("writes an object full of secrets with every secret redacted and the rest kept", () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, level: "debug" });
    log.info(objectFullOfSecrets(), "install received");
    log.debug({ deep: { a: { b: { c: { d: { AUTH_ID: SECRETS.authId } } } } } }, "deep");
    log.warn(
      new Error(
        `token endpoint said: refresh_token=${SECRETS.refreshToken}&client_secret=${SECRETS.clientSecret}`,
      ),
    );
    log.error(`calling https://x.bitrix24.com/rest/crm.deal.list?auth=${SECRETS.accessToken}`);
    const text = out.lines.join("");
    expect(out.lines).toHaveLength(4);
    expectNoSecret(text);
    const first = JSON.parse(out.lines[0]!);
    expect(first).toMatchObject({
      level: "info",
      msg: "install received",
      member_id: "6d1f0c2e9a7b48c3b5e4f1a2d3c4b5a6",
      code: "QUERY_LIMIT_EXCEEDED",
      errorCode: "expired_token",
      install: { form: { PLACEMENT: "CRM_DEAL_DETAIL_TAB", AUTH_ID: "[redacted]" } },
      webhook: "https://acme.bitrix24.com/rest/1/[redacted]/crm.deal.list",
    });
    expect(first.req.url).toBe("/oauth/callback?code=[redacted]&state=abc&member_id=m");
    expect(JSON.parse(out.lines[2]!).err.message).toContain("refresh_token=[redacted]");
  });

  it("redacts every secret field name we use, at the top level and five levels down", () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const names = [
      ...SECRET_FIELD_NAMES,
      "sid",
      "hmac",
      "passwd",
      "client_id",
      "auth_id",
      "x-api-key",
      "privateKey",
    ];
    for (const [i, name] of names.entries()) {
      const value = `v4lue-${i}-0123456789`;
      log.info({ [name]: value, a: { b: { c: { d: { e: { [name]: value } } } } } }, "field");
      expect(out.lines.at(-1), name).not.toContain(value);
    }
  });

  it("scrubs child-logger bindings, which pino serialises without its redact paths", () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    log
      .child({ auth: { application_token: SECRETS.applicationToken }, session: SECRETS.sessionToken })
      .info("bound");
    expectNoSecret(out.lines.join(""));
    expect(JSON.parse(out.lines[0]!).msg).toBe("bound");
  });

  it("puts member_id and correlation_id on every line of a context logger", () => {
    const out = capture();
    const log = contextLogger(createLogger({ destination: out.destination }), {
      memberId: "m-1",
      correlationId: "req-42",
    });
    log.info({ step: 1 }, "one");
    log.child({ step: 2 }).warn("two");
    const lines = out.lines.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.member_id, l.correlation_id])).toEqual([
      ["m-1", "req-42"],
      ["m-1", "req-42"],
    ]);
  });

  it("writes pretty lines with the same redaction", () => {
    const out = capture();
    const log = contextLogger(createLogger({ destination: out.destination, pretty: true }), {
      memberId: "m-1",
      correlationId: "req-42",
    });
    const { member_id: _own, ...fields } = objectFullOfSecrets();
    log.warn(fields, "pretty");
    expectNoSecret(out.lines.join(""));
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[m-1 req-42\] pretty /);
    expect(out.lines[0]).toContain("code=QUERY_LIMIT_EXCEEDED");
  });

  it("writes to a file path and honours the level", () => {
    const file = join(dir, "logs", "app.log");
    const log = createLogger({ destination: file, level: "warn" });
    log.info({ access_token: SECRETS.accessToken }, "below the level");
    log.warn({ access_token: SECRETS.accessToken }, "kept");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["kept"]);
    expectNoSecret(lines.join("\n"));
  });
});

describe("redactSecrets and scrubText", () => {
  it("keeps error codes in `code` but hides an OAuth authorization code", () => {
    expect(redactSecrets({ code: "invalid_grant" })).toEqual({ code: "invalid_grant" });
    expect(redactSecrets({ code: "ECONNREFUSED" })).toEqual({ code: "ECONNREFUSED" });
    expect(redactSecrets({ code: "TimeoutError" })).toEqual({ code: "TimeoutError" });
    expect(redactSecrets({ code: SECRETS.oauthCode })).toEqual({ code: "[redacted]" });
    // Upper-case CODE is an entity's code name in Bitrix24 methods (imbot.register) and stays.
    expect(redactSecrets({ CODE: "deal_bot" })).toEqual({ CODE: "deal_bot" });
  });

  it("hides secrets in form bodies, JSON fragments, URLs and authorization headers inside text", () => {
    expect(scrubText(`AUTH_ID=${SECRETS.authId}&PLACEMENT=DEFAULT`)).toBe(
      "AUTH_ID=[redacted]&PLACEMENT=DEFAULT",
    );
    expect(scrubText(`{"refresh_token":"${SECRETS.refreshToken}","expires_in":3600}`)).toBe(
      '{"refresh_token":"[redacted]","expires_in":3600}',
    );
    expect(scrubText(`Authorization: Bearer ${SECRETS.bearer}`)).toBe("Authorization: Bearer [redacted]");
    // The user's AUTH_ID that b24kit.api() sends, as a header object or quoted in text.
    expect(redactSecrets({ headers: { "X-B24kit-User-Auth": SECRETS.authId } })).toEqual({
      headers: { "X-B24kit-User-Auth": "[redacted]" },
    });
    expect(scrubText(`{"x-b24kit-user-auth":"${SECRETS.authId}"}`)).not.toContain(SECRETS.authId);
    expect(scrubText(`GET /rest/7/${SECRETS.webhookCode}/profile?x=1`)).toBe(
      "GET /rest/7/[redacted]/profile?x=1",
    );
  });

  it("still hides a quoted value cut short by truncation", () => {
    const long = `${"x".repeat(70_000)}`;
    expect(scrubText(`{"access_token":"${SECRETS.accessToken}${long}"}`)).not.toContain(SECRETS.accessToken);
    // Text is cut at 64 KiB: here right after the first 5 characters of the token.
    const cut = scrubText(`${"y".repeat(65_536 - 16 - 5)}"access_token":"${SECRETS.accessToken}"`);
    expect(cut).toContain('"access_token":"[redacted]');
    expect(cut).not.toContain(SECRETS.accessToken.slice(0, 5));
  });

  it("does not let a __proto__ key in parsed JSON change the copy's prototype", () => {
    const copy = redactSecrets(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(["__proto__", "a"]);
  });

  it("scrubs a large string in bounded time", () => {
    const huge = `${"a".repeat(1_000_000)}:${"b".repeat(1_000_000)}`;
    const started = performance.now();
    scrubText(huge);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
