import { B24Error } from "@b24kit/rest";
import { scrub } from "./call-target.js";

/** TLS codes that mean "this certificate is not trusted here", as Node's TLS reports them. */
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The TLS code somewhere in an error's cause chain, if the failure was a certificate check. */
export function certificateCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNTRUSTED.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Raised from the transport on a certificate failure: never retried, it will not fix itself. */
export class CertificateError extends Error {
  constructor(
    readonly tlsCode: string,
    origin: string,
  ) {
    const hint =
      tlsCode === "CERT_HAS_EXPIRED" || tlsCode === "CERT_NOT_YET_VALID"
        ? "check the portal's certificate and this machine's clock"
        : tlsCode === "ERR_TLS_CERT_ALTNAME_INVALID"
          ? "the certificate is for another host name: call the portal by the name it was issued for"
          : "for the b24kit emulator, trust its CA: NODE_EXTRA_CA_CERTS=<caFile from its ready line> b24kit call …";
    super(`the TLS certificate of ${origin} is not trusted (${tlsCode}): ${hint}`);
    this.name = "CertificateError";
  }
}

/**
 * One line for stderr: the portal's error code and description (B24Error's
 * message carries both, with a hint), every secret scrubbed.
 */
export function describeFailure(error: unknown, secrets: readonly string[]): string {
  let text: string;
  if (error instanceof B24Error) {
    const cert = certificateCode(error);
    text = cert ? new CertificateError(cert, "the portal").message : error.message;
  } else if (error instanceof Error) {
    text = error.message;
  } else {
    text = String(error);
  }
  return scrub(text, secrets).replace(/\s*\n\s*/g, " ");
}
