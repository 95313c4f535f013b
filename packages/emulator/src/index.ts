export { Clock } from "./clock.js";
export type { LocalCa, ServerCertificate } from "./tls/local-ca.js";
export { ensureLocalCa, issueServerCertificate } from "./tls/local-ca.js";
