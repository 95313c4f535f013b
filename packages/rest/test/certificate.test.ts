import { mkdtempSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalCa, issueServerCertificate } from "@b24kit/emulator";
import { B24Error, createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, beforeAll, expect, it } from "vitest";

// A portal whose certificate this machine does not trust (the emulator before NODE_EXTRA_CA_CERTS):
// one attempt, no retries, and an error that names the host and says how to trust it (issue 16).
let url: string;
let connections = 0;
const server = (() => {
  const ca = ensureLocalCa(mkdtempSync(join(tmpdir(), "b24kit-untrusted-ca-")));
  const cert = issueServerCertificate(ca, ["127.0.0.1"]);
  return createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end('{"result":true}');
  });
})();
// TCP connections: the client gives up in the handshake, so no TLS-level event would count them.
server.on("connection", () => {
  connections++;
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/rest/1/abcdefgh12345678/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("fails at once with CERTIFICATE_UNTRUSTED, naming the host and how to trust the emulator's CA", async () => {
  const client = createB24Client({ auth: webhookAuth(url), limits: false });
  const started = Date.now();
  const error = await client.call("profile").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(B24Error);
  const failure = error as B24Error;
  expect(failure.code, failure.description).toBe("CERTIFICATE_UNTRUSTED");
  expect(failure.retryable).toBe(false);
  expect(failure.mayHaveReachedPortal).toBe(false);
  expect(failure.method).toBe("profile");
  expect(failure.message).toContain(
    `the TLS certificate of 127.0.0.1:${new URL(url).port} is not trusted here`,
  );
  expect(failure.message).toContain("NODE_EXTRA_CA_CERTS");
  expect(failure.message).not.toContain("abcdefgh12345678"); // the webhook's secret
  expect(connections).toBe(1);
  expect(Date.now() - started).toBeLessThan(5_000); // retries with backoff took about 8 s
});
