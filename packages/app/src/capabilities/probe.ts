import { B24Error, type BatchInput, type BatchOptions, type BatchResult } from "@b24kit/rest";
import type { AppManifest } from "../manifest/app-manifest.js";
import type { Capabilities, FeatureCapability, MethodCapability, PortalRefusal } from "./capabilities.js";

/** The part of a client the probe needs (`B24Client` fits). */
export interface ProbeClient {
  batch(commands: BatchInput, options?: BatchOptions): Promise<BatchResult>;
}

/** The part of a manifest the probe reads. */
export type ProbeManifest = Pick<AppManifest, "scopes" | "requires" | "optional">;

export interface ProbeOptions {
  /** Wall-clock time (unix ms) for `probedAt`; default `Date.now`. */
  clock?: { now(): number };
}

/** Probed on every portal besides the manifest's own features: part 2's offline events read it. */
export const ALWAYS_PROBED_FEATURES = ["rest_offline_extended"] as const;

/**
 * Finds out what a portal lets the app do, in one `batch` (two requests past 47
 * manifest methods and features, as a batch takes 50 commands; protocol.md §6):
 * `app.info`, `scope`, `user.admin`, `feature.get` per feature and `method.get`
 * per manifest method — the detection algorithm of protocol.md §10.4.
 *
 * A plan without REST or an expired app is a result (`portalRefusal`), not an
 * error. Other failures of the whole request (network, tokens) are thrown, so
 * a caller keeps its previous record. `app.info` and `user.admin` may fail
 * alone (`app.info` needs an app context) and are noted in `probeErrors`.
 */
export async function probeCapabilities(
  client: ProbeClient,
  manifest: ProbeManifest,
  options: ProbeOptions = {},
): Promise<Capabilities> {
  const now = options.clock?.now() ?? Date.now();
  const methods = wanted(
    [
      [manifest.requires.methods, true],
      [manifest.optional.methods, false],
    ],
    (name) => name.toLowerCase(),
  );
  const features = wanted(
    [
      [manifest.requires.features, true],
      [manifest.optional.features, false],
      [ALWAYS_PROBED_FEATURES, false],
    ],
    (name) => name,
  );

  const commands: Record<string, readonly [string, Record<string, unknown>?]> = {
    app_info: ["app.info"],
    scope: ["scope"],
    user_admin: ["user.admin"],
  };
  features.forEach((f, i) => {
    commands[`f${i}`] = ["feature.get", { CODE: f.name }];
  });
  methods.forEach((m, i) => {
    commands[`m${i}`] = ["method.get", { name: m.name }];
  });

  // Every command is a read: the batch may be sent again after a transient failure.
  const answer = await client.batch(commands, { repeatable: true });
  const base = {
    version: 1 as const,
    probedAt: now,
    requestedScopes: [...manifest.scopes],
    probeErrors: {} as Record<string, string>,
  };

  const refusal = wholeRequestRefusal(answer);
  if (refusal) {
    return {
      ...base,
      portalRefusal: refusal,
      scopes: [],
      methods: Object.fromEntries(
        methods.map((m) => [m.name, { exists: false, available: false, required: m.required }]),
      ),
      features: Object.fromEntries(features.map((f) => [f.name, { enabled: false, required: f.required }])),
    };
  }

  // scope, feature.get and method.get are basic methods any user may call: their failure fails the probe.
  const essential = ["scope", ...features.map((_, i) => `f${i}`), ...methods.map((_, i) => `m${i}`)];
  for (const name of essential) {
    const error = answer.errors[name];
    if (error) throw error.cause ?? error;
  }

  const capabilities: Capabilities = {
    ...base,
    scopes: stringList(answer.results.scope),
    methods: {},
    features: {},
  };
  methods.forEach((m, i) => {
    const r = record(answer.results[`m${i}`]);
    capabilities.methods[m.name] = {
      exists: r.isExisting === true,
      available: r.isAvailable === true,
      required: m.required,
    } satisfies MethodCapability;
  });
  features.forEach((f, i) => {
    const r = record(answer.results[`f${i}`]);
    capabilities.features[f.name] = {
      enabled: r.value === "Y",
      required: f.required,
    } satisfies FeatureCapability;
  });

  const info = answer.errors.app_info ? undefined : record(answer.results.app_info);
  if (answer.errors.app_info) capabilities.probeErrors["app.info"] = answer.errors.app_info.code;
  if (info) {
    capabilities.license = {
      license: String(info.LICENSE ?? ""),
      type: String(info.LICENSE_TYPE ?? ""),
      family: String(info.LICENSE_FAMILY ?? ""),
    };
    const days = info.DAYS === null || info.DAYS === undefined || info.DAYS === "" ? null : Number(info.DAYS);
    capabilities.app = {
      status: String(info.STATUS ?? ""),
      installed: info.INSTALLED === true || info.INSTALLED === "Y",
      paymentExpired: info.PAYMENT_EXPIRED === "Y" || info.PAYMENT_EXPIRED === true,
      daysLeft: days !== null && Number.isFinite(days) ? days : null,
    };
  }
  if (answer.errors.user_admin) capabilities.probeErrors["user.admin"] = answer.errors.user_admin.code;
  else capabilities.admin = answer.results.user_admin === true || answer.results.user_admin === "Y";
  return capabilities;
}

interface Wanted {
  name: string;
  required: boolean;
}

/** Unique names (methods lower-cased, as method.get expects them); `requires` wins over `optional`. */
function wanted(
  lists: ReadonlyArray<readonly [names: readonly string[], required: boolean]>,
  normalise: (name: string) => string,
): Wanted[] {
  const out = new Map<string, Wanted>();
  for (const [names, required] of lists) {
    for (const raw of names) {
      const name = normalise(raw.trim());
      if (name && !out.has(name)) out.set(name, { name, required });
    }
  }
  return [...out.values()];
}

/**
 * Every command failed with the same refusal of the whole request (the batch
 * itself was refused): a plan without REST or an app that is no longer paid.
 */
function wholeRequestRefusal(answer: BatchResult): PortalRefusal | undefined {
  const errors = Object.values(answer.errors);
  if (errors.length === 0 || Object.keys(answer.results).length > 0) return undefined;
  const cause = errors[0]?.cause;
  if (!(cause instanceof B24Error)) return undefined;
  if (cause.code === "ACCESS_DENIED" && /commercial plans/i.test(cause.description))
    return { reason: "plan", code: cause.code };
  if (cause.code === "PAYMENT_REQUIRED") return { reason: "payment_expired", code: cause.code };
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  // PHP renders a list with gaps as an object.
  if (value && typeof value === "object") return Object.values(value).map(String);
  return [];
}
