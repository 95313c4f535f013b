import { scopeLabel } from "./method-scope.js";

/**
 * Why the app cannot use something on a portal. Codes are stable and never
 * reused for another meaning.
 * - `module_off`: the method's module (CRM, Tasks, …) is off or not in the plan (`method.get` isExisting=false);
 * - `scope_missing`: the app was installed without the scope (isAvailable=false, `insufficient_scope`);
 * - `plan`: the plan lacks REST or a feature (`ACCESS_DENIED` "commercial plans", `WRONG_LICENSE`, `feature.get` N);
 * - `not_admin`: the user's rights do not allow it (admin-only methods, approvals, restricted access);
 * - `payment_expired`: the app's paid or trial period is over (`app.info` PAYMENT_EXPIRED, `PAYMENT_REQUIRED`);
 * - `method_unknown`: the portal does not know the method, or it was never probed (not in the manifest);
 * - `not_probed`: nothing is known about the portal yet.
 */
export type CapabilityReason =
  | "module_off"
  | "scope_missing"
  | "plan"
  | "not_admin"
  | "payment_expired"
  | "method_unknown"
  | "not_probed";

/** What a gap is about; the words name it. */
export interface GapSubject {
  method?: string;
  feature?: string;
  scope?: string;
  /** Display name of the module (`CRM`). */
  module?: string;
  /** The portal's error code when the gap was learnt from a refusal. */
  portalCode?: string;
  /** The method is not in the manifest, so the probe never asked about it. */
  undeclared?: boolean;
  /** app.info INSTALLED=false: the installation was never finished. */
  installUnfinished?: boolean;
}

export interface GapWords {
  /** For anyone using the app, in plain words. */
  userText: string;
  /** What an administrator (or the developer) can do about it. */
  adminHint: string;
}

const FEATURE_LABEL: Readonly<Record<string, string>> = {
  rest_offline_extended: "offline events",
  rest_auth_connector: "connector authorisation in events",
};

/** English words for a gap (the only language so far; others fall back to it). */
export function wordsFor(reason: CapabilityReason, subject: GapSubject): GapWords {
  const method = subject.method ? ` (${subject.method})` : "";
  switch (reason) {
    case "module_off": {
      const module = subject.module ?? "a Bitrix24 tool";
      return {
        userText: `This app needs ${module}, which is not available in your Bitrix24.`,
        adminHint: `Turn on ${module} in your Bitrix24 settings, or switch to a plan that includes it.`,
      };
    }
    case "scope_missing": {
      if (!subject.scope)
        return {
          userText: "This app was installed without some of the access it needs.",
          adminHint: `Reinstall the app and allow all the access it asks for${method}.`,
        };
      const label = scopeLabel(subject.scope);
      return {
        userText: `This app was installed without access to ${label}.`,
        adminHint: `Reinstall the app and allow access to ${label} (permission "${subject.scope}") when Bitrix24 asks.`,
      };
    }
    case "plan": {
      if (subject.feature) {
        const label = FEATURE_LABEL[subject.feature] ?? `the "${subject.feature}" feature`;
        return {
          userText: `Your Bitrix24 plan does not include ${label}.`,
          adminHint:
            subject.feature === "rest_auth_connector"
              ? `Upgrade to Bitrix24 Professional or higher to get ${label}.`
              : `Upgrade your Bitrix24 plan to one that includes ${label}.`,
        };
      }
      if (subject.portalCode === "WRONG_LICENSE")
        return {
          userText: "Your Bitrix24 plan does not include something this app needs.",
          adminHint: `Upgrade your Bitrix24 plan to one that allows it${method}.`,
        };
      return {
        userText: "Your Bitrix24 plan does not allow apps to connect to it.",
        adminHint:
          "Apps need a commercial Bitrix24 plan or a Bitrix24 Market subscription: upgrade the plan or subscribe.",
      };
    }
    case "not_admin":
      return notAdminWords(subject, method);
    case "payment_expired":
      return {
        userText: "The subscription for this app has ended.",
        adminHint: "Renew the app's subscription in Bitrix24 Market.",
      };
    case "method_unknown":
      return subject.undeclared
        ? {
            userText: "This app tried something it had not checked your Bitrix24 for.",
            adminHint: `Tell the app's developer: ${subject.method ?? "the method"} is not declared in the app's manifest (requires or optional), so it was never checked.`,
          }
        : {
            userText: "Your Bitrix24 does not support something this app needs.",
            adminHint: `Your Bitrix24 does not know the method${subject.method ? ` ${subject.method}` : ""}: make sure it is up to date, and if it is, tell the app's developer.`,
          };
    case "not_probed":
      return {
        userText: "This app has not checked yet what your Bitrix24 allows.",
        adminHint: "Open the app once so it can check your Bitrix24's plan, tools and permissions.",
      };
  }
}

function notAdminWords(subject: GapSubject, method: string): GapWords {
  if (subject.installUnfinished)
    return {
      userText: "This app has not been set up yet; only a Bitrix24 administrator can finish setting it up.",
      adminHint: "Ask a Bitrix24 administrator to open the app once to finish its installation.",
    };
  switch (subject.portalCode) {
    case "METHOD_CONFIRM_WAITING":
      return {
        userText: "A Bitrix24 administrator has not yet approved this action for the app.",
        adminHint: `Ask a Bitrix24 administrator to approve the app's request${method}.`,
      };
    case "METHOD_CONFIRM_DENIED":
      return {
        userText: "A Bitrix24 administrator did not allow the app to do this.",
        adminHint: `An administrator refused the app's request${method}; only an administrator can change that.`,
      };
    case "user_access_error":
      return {
        userText: "You do not have access to this app.",
        adminHint: "Ask a Bitrix24 administrator to give you access to the app.",
      };
    default:
      return {
        userText: "Only a Bitrix24 administrator, or a user with more rights, can do this.",
        adminHint: `Ask a Bitrix24 administrator to do it, or to give you the rights it needs${method}.`,
      };
  }
}
