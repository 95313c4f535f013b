export { type AppConfig, type AppConfigInput, configFromEnv, parseAppConfig } from "./config/app-config.js";
export { type AppManifest, type AppManifestInput, parseManifest } from "./manifest/app-manifest.js";
export { TokenCipher } from "./security/token-cipher.js";
export type { AdminStore, AppStore, TenantStore } from "./storage/app-store.js";
export type * from "./storage/records.js";
export { canCallPortal, nextState, type TenantState, type TenantTransition } from "./tenants/tenant-state.js";
