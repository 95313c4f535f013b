import type { TestApi } from "@b24kit/rest/testing";
import { type AppStoreFactory, check, memberId, sameJson, withStore } from "./conformance-kit.js";

/** The app's per-tenant key-value data and the capability record. */
export function kvChecks(make: AppStoreFactory, t: TestApi): void {
  t.it("kv: set, overwrite, get, delete", async () => {
    await withStore(make, async (store) => {
      const kv = store.tenant(memberId()).kv;
      check((await kv.get("missing")) === undefined, "a missing key must be undefined");
      await kv.set("k", "one");
      await kv.set("k", "two");
      check((await kv.get("k")) === "two", "set must overwrite");
      await kv.set("empty", "");
      check((await kv.get("empty")) === "", "an empty value is a value");
      check((await kv.delete("k")) === true, "delete of a present key must resolve true");
      check((await kv.delete("k")) === false, "delete of a missing key must resolve false");
      check((await kv.get("k")) === undefined, "a deleted key must be gone");
    });
  });

  t.it("kv: values of a megabyte and any characters come back unchanged", async () => {
    await withStore(make, async (store) => {
      const kv = store.tenant(memberId()).kv;
      const big = "x".repeat(1024 * 1024);
      const text = `{"emoji":"😀","quote":"'\\"","zero":"\u0001","cyrillic":"сделка"}`;
      await kv.set("big", big);
      await kv.set("text", text);
      check((await kv.get("big")) === big, "a 1 MB value must round-trip");
      check((await kv.get("text")) === text, "any characters must round-trip");
    });
  });

  t.it("kv: keys come in bytewise order; a prefix matches exactly (case, % and _ are literal)", async () => {
    await withStore(make, async (store) => {
      const kv = store.tenant(memberId()).kv;
      for (const key of ["b", "a_b", "a-b", "aB", "ab", "A", "a%", "ac", "Ab", "a"]) await kv.set(key, key);
      sameJson(
        await kv.keys(),
        ["A", "Ab", "a", "a%", "a-b", "aB", "a_b", "ab", "ac", "b"],
        "keys() must be in bytewise order",
      );
      sameJson(await kv.keys("a"), ["a", "a%", "a-b", "aB", "a_b", "ab", "ac"], "prefix a");
      sameJson(await kv.keys("A"), ["A", "Ab"], "prefixes are case-sensitive");
      sameJson(await kv.keys("a_"), ["a_b"], "_ in a prefix is literal");
      sameJson(await kv.keys("a%"), ["a%"], "% in a prefix is literal");
      sameJson(await kv.keys("zz"), [], "a prefix nothing has");
      sameJson(await kv.keys(""), await kv.keys(), "an empty prefix lists every key");
    });
  });

  t.it("capabilities: none, then the probe's record, replaced by the next probe", async () => {
    await withStore(make, async (store) => {
      const caps = store.tenant(memberId()).capabilities;
      check((await caps.get()) === undefined, "no record before the first probe");
      const first = {
        probedAt: 1_800_000_000_000,
        facts: { methods: { "crm.deal.list": true }, admin: false },
      };
      await caps.put(first);
      sameJson(await caps.get(), first, "the record must round-trip");
      const second = { probedAt: 1_800_000_000_001, facts: { plan: "basic" } };
      await caps.put(second);
      sameJson(await caps.get(), second, "a new probe must replace the record");
    });
  });
}
