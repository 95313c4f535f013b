import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";

/** A local certificate authority kept on disk, so browsers and NODE_EXTRA_CA_CERTS can trust it once. */
export interface LocalCa {
  certPem: string;
  keyPem: string;
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS or a browser's trust store. */
  caFile: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const CA_CERT = "ca.pem";
const CA_KEY = "ca-key.pem";

function newRsaKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function serialNumber(): string {
  // Positive serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

/** Loads the CA from `dir`, creating it (once) when absent. */
export function ensureLocalCa(dir: string): LocalCa {
  const certPath = join(dir, CA_CERT);
  const keyPath = join(dir, CA_KEY);
  if (existsSync(certPath) && existsSync(keyPath)) {
    return {
      certPem: readFileSync(certPath, "utf8"),
      keyPem: readFileSync(keyPath, "utf8"),
      caFile: certPath,
    };
  }
  mkdirSync(dir, { recursive: true });
  const keys = newRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: "commonName", value: "b24kit emulator local CA" },
    { name: "organizationName", value: "b24kit" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  // Write the key first: a cert without its key would be unusable on the next start.
  writeFileSync(keyPath, keys.privatePem, { mode: 0o600 });
  writeFileSync(certPath, certPem);
  return { certPem, keyPem: keys.privatePem, caFile: certPath };
}

/** Issues a short-lived server certificate for the given host names and IP addresses. */
export function issueServerCertificate(ca: LocalCa, hosts: string[]): ServerCertificate {
  const keys = newRsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  cert.setSubject([{ name: "commonName", value: hosts[0] ?? "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}
