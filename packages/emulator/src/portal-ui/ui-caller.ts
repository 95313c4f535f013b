import type { Caller } from "../calls/caller.js";
import type { Portal } from "../state/portal.js";
import { allScopes } from "../state/scopes.js";

/**
 * The portal's own pages acting for the UI user: what a person does in the
 * browser runs through the REST executor with that user's rights, so the
 * same checks apply and the same events fire (with that user's tokens).
 */
export function uiCaller(portal: Portal): Caller {
  return {
    kind: "webhook",
    userId: portal.uiUserId,
    scopes: new Set(allScopes()),
    accountingKey: `ui:${portal.uiUserId}`,
  };
}
