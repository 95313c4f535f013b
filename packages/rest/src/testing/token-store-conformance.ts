import type { OAuthTokens, TokenStore } from "../auth/token-store.js";
import { check, type TestApi } from "./test-api.js";

/** Makes an empty store for one new portal (each call: a portal no other check uses). */
export type TokenStoreFactory = () => TokenStore | Promise<TokenStore>;

function sample(n: number): OAuthTokens {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    expiresAt: 1_900_000_000_000 + n,
    clientEndpoint: "https://acme.bitrix24.com/rest/",
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    memberId: "member-conformance",
    domain: "acme.bitrix24.com",
    scope: "crm,user",
    userId: 7,
  };
}

/**
 * What every TokenStore must do (`auth/token-store.ts`): `save` is a
 * compare-and-swap on the version — a refresh token is single-use, so two
 * writers must never both win — and tokens come back exactly as saved.
 */
export function describeTokenStore(name: string, create: TokenStoreFactory, t: TestApi): void {
  t.describe(`TokenStore conformance: ${name}`, () => {
    t.it("an empty store loads nothing", async () => {
      const store = await create();
      check((await store.load()) === undefined, "load() of an empty store must resolve undefined");
    });

    t.it("the first save expects version 0 and stores version 1, every field kept", async () => {
      const store = await create();
      const saved = await store.save(sample(1), 0);
      check(saved?.version === 1, `first save must return version 1, got ${saved?.version}`);
      const loaded = await store.load();
      check(loaded?.version === 1, `load() after the first save must say version 1, got ${loaded?.version}`);
      check(
        JSON.stringify(loaded.tokens) === JSON.stringify(sample(1)),
        `tokens must come back as saved: ${JSON.stringify(loaded.tokens)}`,
      );
    });

    t.it("a save with a stale version is refused and changes nothing", async () => {
      const store = await create();
      await store.save(sample(1), 0);
      await store.save(sample(2), 1);
      const refused = await store.save(sample(3), 1);
      check(refused === undefined, "a save expecting an old version must resolve undefined");
      const loaded = await store.load();
      check(
        loaded?.version === 2 && loaded.tokens.accessToken === "access-2",
        "a refused save must not write",
      );
    });

    t.it("versions rise by one per save", async () => {
      const store = await create();
      let version = 0;
      for (let i = 1; i <= 4; i++) {
        const saved = await store.save(sample(i), version);
        check(saved?.version === version + 1, `save ${i} must return version ${version + 1}`);
        version = saved.version;
      }
    });

    t.it("of ten concurrent saves on one version exactly one wins", async () => {
      const store = await create();
      await store.save(sample(0), 0);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.save(sample(i + 10), 1)));
      const winners = results.filter((r) => r !== undefined);
      check(winners.length === 1, `exactly one concurrent save may win, ${winners.length} did`);
      const loaded = await store.load();
      check(
        loaded?.tokens.accessToken === winners[0]!.tokens.accessToken,
        "the winner's tokens must be stored",
      );
    });

    t.it("stores for different portals are independent", async () => {
      const a = await create();
      const b = await create();
      await a.save(sample(1), 0);
      check((await b.load()) === undefined, "a save to one portal's store must not show in another's");
    });
  });
}
