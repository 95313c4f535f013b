export { Clock } from "./clock.js";
export { type EmulatorHandle, type EmulatorOptions, startEmulator } from "./emulator.js";
export type { ModuleId, PlanId, PlanProfile } from "./state/plans.js";
export { MODULES, PLANS } from "./state/plans.js";
export type { LocalCa, ServerCertificate } from "./tls/local-ca.js";
export { ensureLocalCa, issueServerCertificate } from "./tls/local-ca.js";
