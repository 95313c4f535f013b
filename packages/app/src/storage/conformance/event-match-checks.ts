import type { TestApi } from "@b24kit/rest/testing";
import type { EventCopy } from "../records.js";
import { type AppStoreFactory, check, memberId, sameJson, withStore } from "./conformance-kit.js";

const T = 1_800_000_000;
const copy = (jobId: string, source: EventCopy["source"], second: number, stream = "ONCRMDEALUPDATE:d1") => ({
  jobId,
  stream,
  source,
  second,
  windowSeconds: 60,
  at: second * 1000,
});

/** Copies of one change (online POST, offline row) run once (TenantStore.eventMatches). */
export function eventMatchChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("event matches: the second copy of a change within the window is a duplicate", async () => {
    await withStore(make, async (store) => {
      const matches = store.tenant(memberId()).eventMatches;
      check((await matches.claim(copy("on1", "online", T + 2))) === "run", "the first copy runs");
      check(
        (await matches.claim(copy("off1", "offline", T))) === "duplicate",
        "an offline row 2 s before the POST is the same change",
      );
      check(
        (await matches.claim(copy("off1", "offline", T))) === "duplicate",
        "a retried claim keeps its answer",
      );
      check((await matches.claim(copy("on1", "online", T + 2))) === "run", "the run's retry runs again");
      check(
        (await matches.claim(copy("off2", "offline", T + 1))) === "run",
        "a copy matches one other copy only; a second offline row is another change",
      );
      check(
        (await matches.claim(copy("on2", "online", T + 1))) === "duplicate",
        "offline first, then the POST: the POST is the duplicate",
      );
    });
  });

  t.it("event matches: outside the window, before the change, or another stream: no match", async () => {
    await withStore(make, async (store) => {
      const matches = store.tenant(memberId()).eventMatches;
      await matches.claim(copy("on", "online", T + 100));
      check((await matches.claim(copy("old", "offline", T))) === "run", "100 s apart is another change");
      check(
        (await matches.claim(copy("later", "offline", T + 101))) === "run",
        "a row changed after the POST was sent is another change",
      );
      check(
        (await matches.claim(copy("other", "offline", T + 100, "ONCRMDEALUPDATE:d2"))) === "run",
        "another deal's row is another change",
      );
      check(
        (await matches.claim(copy("on2", "online", T + 100))) === "run",
        "a POST matches only rows changed at or before its ts, within the window",
      );
    });
  });

  t.it("event matches: tenants never match each other's copies", async () => {
    await withStore(make, async (store) => {
      await store.tenant(memberId()).eventMatches.claim(copy("on", "online", T));
      check(
        (await store.tenant(memberId()).eventMatches.claim(copy("off", "offline", T))) === "run",
        "another portal's POST is not this portal's change",
      );
    });
  });

  t.it("event matches: concurrent claims of both copies of 20 changes: one run each", async () => {
    await withStore(make, async (store) => {
      const matches = store.tenant(memberId()).eventMatches;
      const claims = [];
      for (let i = 0; i < 20; i++) {
        const stream = `ONCRMDEALUPDATE:d${i}`;
        claims.push(matches.claim(copy(`on${i}`, "online", T + 1, stream)));
        claims.push(matches.claim(copy(`off${i}`, "offline", T, stream)));
      }
      const outcomes = await Promise.all(claims);
      for (let i = 0; i < 20; i++) {
        const pair = [outcomes[2 * i], outcomes[2 * i + 1]].sort();
        sameJson(pair, ["duplicate", "run"], `change ${i}: one copy runs, the other is a duplicate`);
      }
    });
  });

  t.it("event matches: prune forgets old claims and matched pairs sooner", async () => {
    await withStore(make, async (store) => {
      const matches = store.tenant(memberId()).eventMatches;
      await matches.claim({ ...copy("on", "online", T), at: 1000 });
      await matches.claim({ ...copy("off", "offline", T), at: 2000 });
      await matches.claim({ ...copy("lone", "online", T, "ONCRMDEALADD:d1"), at: 3000 });
      const gone = await store.admin.pruneEventMatches({ before: 1500, matchedBefore: 2500 });
      check(gone === 2, `the matched pair (one of them also old) must go, got ${gone}`);
      check(
        (await matches.claim({ ...copy("off2", "offline", T, "ONCRMDEALADD:d1"), at: 4000 })) === "duplicate",
        "an unmatched claim newer than `before` is kept",
      );
    });
  });
}
