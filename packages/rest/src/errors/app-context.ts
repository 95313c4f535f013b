/**
 * Portals refuse app-only methods through webhooks under several codes — WRONG_AUTH_TYPE, ACCESS_DENIED
 * for app.info, AccessException for app.option.* — all saying "Application context required". The
 * cause is the same each time, and it is never the user's rights.
 */
export function needsAppContext(code: string, description: string): boolean {
  return code === "WRONG_AUTH_TYPE" || /application context required/i.test(description);
}

export const APP_CONTEXT_HINT =
  "this method needs an app context (the OAuth tokens of an installed app: oauthAuth or frameAuth); incoming webhooks cannot call it";
