import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalCa, issueServerCertificate } from "@b24kit/emulator";
import { afterAll, describe, expect, it } from "vitest";

describe("local CA", () => {
  const dir = mkdtempSync(join(tmpdir(), "b24kit-ca-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is generated once and kept", () => {
    const first = ensureLocalCa(dir);
    const second = ensureLocalCa(dir);
    expect(second.certPem).toBe(first.certPem);
    expect(new X509Certificate(first.certPem).ca).toBe(true);
  });

  it("signs server certificates that a TLS client verifies against it", async () => {
    const ca = ensureLocalCa(dir);
    const cert = issueServerCertificate(ca, ["127.0.0.1", "localhost"]);
    const x509 = new X509Certificate(cert.certPem);
    expect(x509.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");

    const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const https = await import("node:https");
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, path: "/", ca: ca.certPem }, (res) => {
          let data = "";
          res.on("data", (c) => {
            data += c;
          });
          res.on("end", () => resolve(data));
        })
        .on("error", reject);
    });
    server.close();
    expect(body).toBe("ok");
  });
});
