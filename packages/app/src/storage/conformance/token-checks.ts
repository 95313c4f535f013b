import type { TestApi } from "@b24kit/rest/testing";
import {
  type AppStoreFactory,
  check,
  memberId,
  sameJson,
  sealedTokens,
  withStore,
} from "./conformance-kit.js";

/** Sealed tokens: the versioned compare-and-swap a single-use refresh token needs. */
export function tokenChecks(make: AppStoreFactory, t: TestApi): void {
  t.it(
    "tokens: none stored, then the first save (expecting 0) stores version 1 with every field",
    async () => {
      await withStore(make, async (store) => {
        const tokens = store.tenant(memberId()).tokens;
        check((await tokens.load()) === undefined, "load() with nothing stored must be undefined");
        const saved = await tokens.save(sealedTokens(1), 0);
        sameJson(saved, { ...sealedTokens(1), version: 1 }, "the first save must resolve version 1");
        sameJson(await tokens.load(), saved, "load must return what was saved");
        const bare = { sealedAccessToken: "a", sealedRefreshToken: "r", expiresAt: 1 };
        sameJson(await tokens.save(bare, 1), { ...bare, version: 2 }, "optional fields may be left out");
        sameJson(await tokens.load(), { ...bare, version: 2 }, "left-out optional fields are cleared");
      });
    },
  );

  t.it("tokens: a save on a stale version, or expecting none over a stored row, is refused", async () => {
    await withStore(make, async (store) => {
      const tokens = store.tenant(memberId()).tokens;
      await tokens.save(sealedTokens(1), 0);
      await tokens.save(sealedTokens(2), 1);
      check((await tokens.save(sealedTokens(3), 1)) === undefined, "a stale version must be refused");
      check(
        (await tokens.save(sealedTokens(4), 0)) === undefined,
        "expecting none over a row must be refused",
      );
      check(
        (await tokens.save(sealedTokens(5), 7)) === undefined,
        "a version from the future must be refused",
      );
      sameJson(await tokens.load(), { ...sealedTokens(2), version: 2 }, "refused saves must not write");
    });
  });

  t.it("tokens: a save without a whole expected version >= 0 throws", async () => {
    await withStore(make, async (store) => {
      const tokens = store.tenant(memberId()).tokens;
      for (const bad of [-1, 1.5, Number.NaN]) {
        const error = await tokens.save(sealedTokens(1), bad).catch((e: unknown) => e);
        check(error instanceof Error, `expectedVersion ${bad} must be rejected`);
      }
    });
  });

  t.it(
    "tokens: of ten concurrent saves on one version exactly one wins, also for the first save",
    async () => {
      await withStore(make, async (store) => {
        const tokens = store.tenant(memberId()).tokens;
        const first = await Promise.all(
          Array.from({ length: 10 }, (_, i) => tokens.save(sealedTokens(i), 0)),
        );
        const firstWinners = first.filter((r) => r !== undefined);
        check(firstWinners.length === 1, `exactly one first save may win, ${firstWinners.length} did`);
        const next = await Promise.all(
          Array.from({ length: 10 }, (_, i) => tokens.save(sealedTokens(i + 10), 1)),
        );
        const winners = next.filter((r) => r !== undefined);
        check(winners.length === 1, `exactly one concurrent save may win, ${winners.length} did`);
        sameJson(await tokens.load(), winners[0], "the winner's tokens must be stored");
      });
    },
  );

  t.it("tokens: delete removes them at once; the next save starts over from 0", async () => {
    await withStore(make, async (store) => {
      const tokens = store.tenant(memberId()).tokens;
      await tokens.save(sealedTokens(1), 0);
      await tokens.delete();
      check((await tokens.load()) === undefined, "deleted tokens must be gone");
      check((await tokens.save(sealedTokens(2), 1)) === undefined, "the old version must not revive them");
      check((await tokens.save(sealedTokens(3), 0))?.version === 1, "a fresh save expecting 0 must work");
      await tokens.delete();
      await tokens.delete();
    });
  });
}
