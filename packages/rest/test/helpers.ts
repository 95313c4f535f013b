import { type AuthStrategy, type OAuthAuthOptions, oauthAuth, type TokenStore } from "@b24kit/rest";

/** Records every request a client makes (URL and HTTP method), passing it on to the real fetch. */
export function recordingFetch(): {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  requests: Array<{ url: string; method: string }>;
} {
  const requests: Array<{ url: string; method: string }> = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push({ url: input, method: init.method ?? "GET" });
      return fetch(input, init);
    },
  };
}

/** Every value of an async generator. */
export async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of gen) out.push(row);
  return out;
}

/** OAuth auth for an app installed on the emulator, its tokens in `store` (the client id/secret of the install). */
export function appAuth(
  app: { clientId: string; clientSecret: string; auth: { member_id: string } },
  store: TokenStore,
  more: Partial<OAuthAuthOptions> = {},
): AuthStrategy {
  return oauthAuth({
    memberId: app.auth.member_id,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    store,
    ...more,
  });
}
