import { type AddressInfo, connect, createServer } from "node:net";
import { type PortalInfo, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b24kitCall, webhookCode } from "./call-helpers.js";

// `b24kit call METHOD [params]` with a webhook, against a real emulator over HTTPS (the test CA is
// trusted through NODE_EXTRA_CA_CERTS, set by the global setup and inherited by the child).

const emu = await testEmulator();
let portal: PortalInfo;
let hook: string;
let code: string;
let dealId: number;

beforeAll(async () => {
  portal = await testPortal(emu);
  hook = portal.adminWebhookUrl;
  code = webhookCode(hook);
  const res = await fetch(`${hook}crm.deal.add`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields: { TITLE: "Call me", STAGE_ID: "WON", OPPORTUNITY: 1200 } }),
  });
  dealId = Number(((await res.json()) as { result: number }).result);
});
afterAll(() => emu.close());

function expectNoSecret(run: { stdout: string; stderr: string }) {
  expect(run.stdout).not.toContain(code);
  expect(run.stderr).not.toContain(code);
}

describe("b24kit call (one call)", () => {
  it("prints the result of a call with JSON params, pretty", async () => {
    const run = await b24kitCall(["crm.deal.get", JSON.stringify({ id: dealId }), "--webhook", hook]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const deal = JSON.parse(run.stdout);
    expect(deal).toMatchObject({ ID: String(dealId), TITLE: "Call me", STAGE_ID: "WON" });
    expect(run.stdout).toContain('\n  "ID": ');
    expectNoSecret(run);
  });

  it("takes key=value params with bracket keys, and the webhook from $B24KIT_WEBHOOK_URL", async () => {
    const run = await b24kitCall(
      ["crm.deal.list", "filter[STAGE_ID]=WON", "filter[ID]=" + dealId, "select[]=ID", "select[]=TITLE"],
      { B24KIT_WEBHOOK_URL: hook },
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ ID: String(dealId), TITLE: "Call me" }]);
    expectNoSecret(run);
  });

  it("takes key:=json for typed values and prints the whole envelope with --envelope", async () => {
    const run = await b24kitCall([
      "crm.deal.list",
      "filter[@ID]:=[" + dealId + "]",
      "--envelope",
      "--webhook",
      hook,
    ]);
    expect(run.status).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.total).toBe(1);
    expect(answer.result[0].ID).toBe(String(dealId));
    expect(answer.time).toBeDefined();
  });

  it("fails with the portal's code and description on one stderr line, and a non-zero exit", async () => {
    const run = await b24kitCall(["crm.no.such.method", "--webhook", hook]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^b24kit: crm\.no\.such\.method: ERROR_METHOD_NOT_FOUND \(HTTP 404\) Method not found!/,
    );
    expectNoSecret(run);
  });

  it("never prints the webhook's code: a wrong code is refused with it redacted", async () => {
    const wrong = hook.replace(code, "wrongcode0123456");
    const run = await b24kitCall(["profile", "--webhook", wrong]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^b24kit: profile: /);
    expect(run.stderr).not.toContain("wrongcode0123456");
    expectNoSecret(run);
  });

  it("says clearly when the portal's certificate is not trusted (no NODE_EXTRA_CA_CERTS), and does not retry", async () => {
    // A TCP relay in front of the emulator counts the connections (one per attempt).
    let connections = 0;
    const relay = createServer((socket) => {
      connections += 1;
      const upstream = connect(Number(new URL(hook).port), "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const relayed = new URL(hook);
    relayed.port = String((relay.address() as AddressInfo).port);
    try {
      const run = await b24kitCall(["profile", "--webhook", relayed.href], {
        NODE_EXTRA_CA_CERTS: undefined,
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(
        /^b24kit: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(/,
      );
      expect(run.stderr).toContain("NODE_EXTRA_CA_CERTS=");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expectNoSecret(run);
      // Not sent again with backoff: a certificate does not fix itself.
      expect(connections).toBe(1);
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

describe("b24kit call refuses bad input with one line", () => {
  it.for([
    [["crm.deal.get"], "say where to call"],
    [
      ["crm.deal.get", "--webhook", "https://example.com/not/a/hook"],
      "--webhook must be an incoming webhook",
    ],
    [["crm.deal.get", "--webhook", "https://h/rest/1/x/", "--member-id", "abc"], "exclude each other"],
    [["crm.deal.get", "{not json", "--webhook", "https://h/rest/1/x/"], "not valid JSON"],
    [["crm.deal.get", "justaword", "--webhook", "https://h/rest/1/x/"], "key=value"],
    [["crm.deal.get", "a[0]=1", "a[x]=2", "--webhook", "https://h/rest/1/x/"], "mixes list items"],
    [["crm.deal.get", "--out", "x.jsonl", "--webhook", "https://h/rest/1/x/"], "--out is for --all"],
    [["crm.deal.list", "--all", "--parallel", "0", "--webhook", "https://h/rest/1/x/"], "--parallel must be"],
    [["crm.deal.get", "--member-id", "abc"], "--member-id needs the app's database"],
  ])("%j", async ([args, message], { expect }) => {
    const run = await b24kitCall(args as string[]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(message as string);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
