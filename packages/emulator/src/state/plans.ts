/**
 * Plan profiles. These are approximations, stated with their sources
 * (docs/protocol.md): REST is refused on the free plan (§3.5 ACCESS_DENIED "REST API
 * is available only on commercial plans"); limits are 50/2 and 250/5 on
 * Enterprise (§4.1); `auth_connector` needs Professional+ (§7.6); `app.info`
 * LICENSE values look like `en_pro100` (§10.1). Which plans have which extended
 * features beyond that is not documented: the flags below are our guess and
 * can be overridden per portal through the control API.
 */
export type PlanId = "free" | "basic" | "standard" | "professional" | "enterprise";

export interface PlanProfile {
  id: PlanId;
  license: string;
  licenseType: string;
  licenseFamily: string;
  /** Leaky bucket: requests that may be queued before 503 (X) … */
  burst: number;
  /** … and how many drain per second (Y). */
  drainPerSecond: number;
  restAvailable: boolean;
  features: Record<string, boolean>;
}

export const PLANS: Record<PlanId, PlanProfile> = {
  free: {
    id: "free",
    license: "en_project",
    licenseType: "project",
    licenseFamily: "project",
    burst: 50,
    drainPerSecond: 2,
    restAvailable: false,
    features: { rest_offline_extended: false, rest_auth_connector: false },
  },
  basic: {
    id: "basic",
    license: "en_basic",
    licenseType: "basic",
    licenseFamily: "basic",
    burst: 50,
    drainPerSecond: 2,
    restAvailable: true,
    features: { rest_offline_extended: false, rest_auth_connector: false },
  },
  standard: {
    id: "standard",
    license: "en_std",
    licenseType: "std",
    licenseFamily: "std",
    burst: 50,
    drainPerSecond: 2,
    restAvailable: true,
    features: { rest_offline_extended: false, rest_auth_connector: false },
  },
  professional: {
    id: "professional",
    license: "en_pro100",
    licenseType: "pro100",
    licenseFamily: "pro",
    burst: 50,
    drainPerSecond: 2,
    restAvailable: true,
    features: { rest_offline_extended: true, rest_auth_connector: true },
  },
  enterprise: {
    id: "enterprise",
    license: "en_ent250",
    licenseType: "ent250",
    licenseFamily: "ent",
    burst: 250,
    drainPerSecond: 5,
    restAvailable: true,
    features: { rest_offline_extended: true, rest_auth_connector: true },
  },
};

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === "string" && value in PLANS;
}

/** Modules a portal can switch off; methods of a switched-off module do not exist. */
export const MODULES = ["crm", "tasks", "disk", "im", "telephony", "bizproc"] as const;
export type ModuleId = (typeof MODULES)[number];

export function isModuleId(value: unknown): value is ModuleId {
  return typeof value === "string" && (MODULES as readonly string[]).includes(value);
}
