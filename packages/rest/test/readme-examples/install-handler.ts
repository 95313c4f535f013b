import { createB24Client, MemoryTokenStore, oauthAuth, tokensFromInstall } from "@b24kit/rest";

/**
 * The app's install handler: once an admin installs the app, the portal POSTs ONAPPINSTALL here,
 * form-encoded (auth[access_token], auth[refresh_token], auth[expires_in] in seconds, auth[member_id], …).
 * Trust it only once you know it is the portal's: @b24kit/app confirms it with the OAuth server.
 */
export async function onInstall(formBody: string) {
  const tokens = tokensFromInstall(formBody);
  const store = new MemoryTokenStore(tokens); // in production, a TokenStore over your database
  const b24 = createB24Client({
    auth: oauthAuth({
      memberId: tokens.memberId,
      clientId: process.env.B24_CLIENT_ID!,
      clientSecret: process.env.B24_CLIENT_SECRET!,
      store, // the client renews the tokens when they expire and saves them here
    }),
  });
  const limits = await b24.learnPlan(); // the plan's request limits, from app.info: app tokens only
  return { b24, store, limits };
}
