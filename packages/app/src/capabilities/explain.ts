import type { Capabilities } from "./capabilities.js";
import { type CapabilityReason, type GapSubject, wordsFor } from "./capability-words.js";
import { moduleForScope, scopeForMethod } from "./method-scope.js";

/** The answer to "may the app call this method on this portal?". */
export interface CapabilityCheck {
  ok: boolean;
  /** Lower-cased. */
  method: string;
  /** The method is in the manifest, so the probe asked the portal about it. */
  probed: boolean;
  reason?: CapabilityReason;
  scope?: string;
  module?: string;
  userText?: string;
  adminHint?: string;
}

/** One thing the app lacks on a portal. */
export interface CapabilityGap {
  kind: "method" | "feature" | "scope" | "portal" | "app";
  /** The method, feature code or scope; `rest`, `payment`, `installation` or `probe` for the others. */
  name: string;
  /** Declared in the manifest's `requires` (or a condition that stops the whole app). */
  required: boolean;
  reason: CapabilityReason;
  scope?: string;
  module?: string;
  userText: string;
  adminHint: string;
}

export interface CapabilityExplanation {
  /** Unix ms of the probe the explanation rests on. */
  probedAt?: number;
  /** Probed, and nothing the manifest requires is missing. */
  ready: boolean;
  /** Required gaps first. */
  missing: CapabilityGap[];
}

/** What the cached record says about one method (pure; the service reads the record). */
export function checkMethod(capabilities: Capabilities | undefined, method: string): CapabilityCheck {
  const name = method.trim().toLowerCase();
  const refused = (reason: CapabilityReason, subject: GapSubject, probed: boolean): CapabilityCheck => ({
    ok: false,
    method: name,
    probed,
    reason,
    ...(subject.scope ? { scope: subject.scope } : {}),
    ...(subject.module ? { module: subject.module } : {}),
    ...wordsFor(reason, { method: name, ...subject }),
  });
  if (!capabilities) return refused("not_probed", {}, false);
  const entry = capabilities.methods[name];
  if (capabilities.portalRefusal)
    return refused(
      capabilities.portalRefusal.reason,
      { portalCode: capabilities.portalRefusal.code },
      !!entry,
    );
  if (!entry) return refused("method_unknown", { undeclared: true }, false);
  const scope = scopeForMethod(name);
  if (!entry.exists) {
    const module = moduleForScope(scope);
    return module
      ? refused("module_off", { module, ...(scope ? { scope } : {}) }, true)
      : refused("method_unknown", {}, true);
  }
  if (!entry.available) {
    const needed = scope && scope !== "basic" ? scope : onlyMissingScope(capabilities);
    return refused("scope_missing", needed ? { scope: needed } : {}, true);
  }
  return { ok: true, method: name, probed: true };
}

/** When the method's scope is not in our table: the one scope the manifest asked for and did not get, if just one. */
function onlyMissingScope(capabilities: Capabilities): string | undefined {
  const missing = missingScopes(capabilities);
  return missing.length === 1 ? missing[0] : undefined;
}

function missingScopes(capabilities: Capabilities): string[] {
  const granted = new Set(capabilities.scopes.map((s) => s.toLowerCase()));
  return capabilities.requestedScopes.filter((s) => s !== "basic" && !granted.has(s.toLowerCase()));
}

/**
 * Everything the app lacks on a portal, each with a reason code, words for the
 * user and a hint for the administrator. `userIsAdmin: false` adds what only
 * an administrator can do (finishing an installation).
 */
export function explainCapabilities(
  capabilities: Capabilities | undefined,
  options: { userIsAdmin?: boolean } = {},
): CapabilityExplanation {
  if (!capabilities) return { ready: false, missing: [gap("portal", "probe", true, "not_probed", {})] };
  const probedAt = capabilities.probedAt;
  const refusal = capabilities.portalRefusal;
  if (refusal) {
    const name = refusal.reason === "plan" ? "rest" : "payment";
    return {
      probedAt,
      ready: false,
      missing: [gap("portal", name, true, refusal.reason, { portalCode: refusal.code })],
    };
  }

  const missing: CapabilityGap[] = [];
  if (capabilities.app?.paymentExpired) missing.push(gap("app", "payment", true, "payment_expired", {}));
  if (capabilities.app && !capabilities.app.installed && options.userIsAdmin === false)
    missing.push(gap("app", "installation", true, "not_admin", { installUnfinished: true }));

  const coveredScopes = new Set<string>();
  for (const [name, entry] of Object.entries(capabilities.methods)) {
    const check = checkMethod(capabilities, name);
    if (check.scope) coveredScopes.add(check.scope);
    if (check.ok || !check.reason) continue;
    missing.push({
      kind: "method",
      name,
      required: entry.required,
      reason: check.reason,
      ...(check.scope ? { scope: check.scope } : {}),
      ...(check.module ? { module: check.module } : {}),
      userText: check.userText ?? "",
      adminHint: check.adminHint ?? "",
    });
  }
  // Scopes the manifest asks for that no method gap above already explains.
  for (const scope of missingScopes(capabilities)) {
    if (!coveredScopes.has(scope)) missing.push(gap("scope", scope, true, "scope_missing", { scope }));
  }
  for (const [feature, entry] of Object.entries(capabilities.features)) {
    if (!entry.enabled) missing.push(gap("feature", feature, entry.required, "plan", { feature }));
  }
  missing.sort((a, b) => Number(b.required) - Number(a.required));
  return { probedAt, ready: !missing.some((g) => g.required), missing };
}

function gap(
  kind: CapabilityGap["kind"],
  name: string,
  required: boolean,
  reason: CapabilityReason,
  subject: GapSubject,
): CapabilityGap {
  return {
    kind,
    name,
    required,
    reason,
    ...(subject.scope ? { scope: subject.scope } : {}),
    ...(subject.module ? { module: subject.module } : {}),
    ...wordsFor(reason, subject),
  };
}
