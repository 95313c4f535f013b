import type { Caller } from "../calls/caller.js";
import type { Installation, Portal } from "../state/portal.js";
import { allScopes } from "../state/scopes.js";

/**
 * The portal's own pages acting for the UI user: what a person does in the
 * browser runs through the REST executor with that user's rights, so the
 * same checks apply and the same events fire (with that user's tokens).
 */
export function uiCaller(portal: Portal, userId = portal.uiUserId): Caller {
  return {
    kind: "webhook",
    userId,
    scopes: new Set(allScopes()),
    accountingKey: `ui:${userId}`,
  };
}

/**
 * An app's frame acting for its user (the BX24 calls that store options):
 * the app's own context and scopes, that user's rights, as its REST calls
 * would have.
 */
export function frameCaller(installation: Installation, userId: number): Caller {
  return {
    kind: "oauth",
    userId,
    scopes: new Set(installation.scopes),
    accountingKey: `app:${installation.clientId}`,
    clientId: installation.clientId,
  };
}
