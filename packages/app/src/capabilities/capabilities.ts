import { z } from "zod";

/** What one manifest method looks like on a portal (`method.get`, api-reference/common/system/method-get.md). */
export interface MethodCapability {
  /** `isExisting`: the method exists on this portal (its module is on and recent enough). */
  exists: boolean;
  /** `isAvailable`: the app may call it with the scopes it was granted. */
  available: boolean;
  /** Declared in the manifest's `requires` (else `optional`). */
  required: boolean;
}

export interface FeatureCapability {
  /** `feature.get` answered `Y` (api-reference/common/system/feature-get.md). */
  enabled: boolean;
  required: boolean;
}

/**
 * Why every call to the portal is refused, when it is: a plan without REST
 * (`403 ACCESS_DENIED "REST API is available only on commercial plans"`) or an
 * app whose paid period is over (`PAYMENT_REQUIRED`), protocol.md §3.5.
 */
export interface PortalRefusal {
  reason: "plan" | "payment_expired";
  /** The portal's own error code. */
  code: string;
}

/**
 * What the capability probe found on one portal: serialisable (JSON), stored
 * per tenant and read back by `can()`/`explain()` without calling the portal.
 */
export interface Capabilities {
  version: 1;
  /** Unix ms. */
  probedAt: number;
  portalRefusal?: PortalRefusal;
  /** `app.info` LICENSE / LICENSE_TYPE / LICENSE_FAMILY (protocol.md §10.1); absent without an app context. */
  license?: { license: string; type: string; family: string };
  /** `app.info` about the app's own installation; absent without an app context. */
  app?: {
    /** F free, D demo, T trial, P paid, L local, S subscription. */
    status: string;
    installed: boolean;
    paymentExpired: boolean;
    /** Days left of the paid or trial period (negative in the grace period); null for free apps. */
    daysLeft: number | null;
  };
  /** Scopes granted to the app (`scope`). */
  scopes: string[];
  /** Scopes the manifest asks for, to tell which are missing. */
  requestedScopes: string[];
  /** Manifest methods by lower-case name. */
  methods: Record<string, MethodCapability>;
  features: Record<string, FeatureCapability>;
  /** `user.admin` of the user whose token ran the probe (usually the installing administrator). */
  admin?: boolean;
  /** Probe commands that failed without failing the probe (e.g. `app.info` through a webhook), by command. */
  probeErrors: Record<string, string>;
}

const capabilitiesSchema = z.object({
  version: z.literal(1),
  probedAt: z.number(),
  portalRefusal: z.object({ reason: z.enum(["plan", "payment_expired"]), code: z.string() }).optional(),
  license: z.object({ license: z.string(), type: z.string(), family: z.string() }).optional(),
  app: z
    .object({
      status: z.string(),
      installed: z.boolean(),
      paymentExpired: z.boolean(),
      daysLeft: z.number().nullable(),
    })
    .optional(),
  scopes: z.array(z.string()),
  requestedScopes: z.array(z.string()),
  methods: z.record(
    z.string(),
    z.object({ exists: z.boolean(), available: z.boolean(), required: z.boolean() }),
  ),
  features: z.record(z.string(), z.object({ enabled: z.boolean(), required: z.boolean() })),
  admin: z.boolean().optional(),
  probeErrors: z.record(z.string(), z.string()),
});

/**
 * Reads a stored record back; undefined when it is not one this version wrote
 * (an older shape, a hand-edited row), so the caller probes again instead of
 * trusting it.
 */
export function parseCapabilities(facts: unknown): Capabilities | undefined {
  const parsed = capabilitiesSchema.safeParse(facts);
  return parsed.success ? (parsed.data as Capabilities) : undefined;
}
