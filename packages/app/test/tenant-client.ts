import type { AuthData } from "@b24kit/emulator/testing";
import { createB24Client, MemoryTokenStore, oauthAuth, tokensFromAuth } from "@b24kit/rest";

/** A B24Client holding an app's OAuth tokens, as the runtime's tenant client would. */
export function appClient(auth: AuthData, app: { clientId: string; clientSecret: string }) {
  return createB24Client({
    auth: oauthAuth({
      memberId: auth.member_id,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      store: new MemoryTokenStore(tokensFromAuth(auth)),
    }),
  });
}
