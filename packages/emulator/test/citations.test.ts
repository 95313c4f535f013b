import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;

/** What docs/protocol.md defines: single sections (§7.6), ranges (§2.4–§2.8) and chapters (## 5.). */
function defined(doc: string): (section: string) => boolean {
  const singles = new Set([...doc.matchAll(/§(\d+(?:\.\d+)*)/g)].map((m) => m[1]!));
  const chapters = new Set([...doc.matchAll(/^## (\d+)\./gm)].map((m) => m[1]!));
  const ranges = [...doc.matchAll(/§(\d+)\.(\d+)–§\1\.(\d+)/g)].map(
    (m) => [m[1]!, Number(m[2]), Number(m[3])] as const,
  );
  return (section) => {
    if (singles.has(section) || chapters.has(section)) return true;
    const [major, minor] = section.split(".");
    return ranges.some(([m, from, to]) => m === major && Number(minor) >= from && Number(minor) <= to);
  };
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.includes("node_modules") && !f.includes("dist/"))
    .map((f) => join(dir, f));
}

describe("citations", () => {
  it("every § a source cites is defined in docs/protocol.md", () => {
    const isDefined = defined(readFileSync(join(root, "docs/protocol.md"), "utf8"));
    const dirs = ["packages/rest/src", "packages/emulator/src", "packages/app/src", "packages/cli/src"];
    const unresolved: string[] = [];
    let cited = 0;
    for (const file of dirs.flatMap((d) => sources(join(root, d)))) {
      const text = readFileSync(file, "utf8");
      // A range cites both ends.
      for (const m of text.matchAll(/§(\d+(?:\.\d+)*)(?:[–-]§?(\d+(?:\.\d+)*))?/g)) {
        for (const section of [m[1]!, m[2]].filter((s): s is string => s !== undefined)) {
          cited += 1;
          if (!isDefined(section)) unresolved.push(`${file.slice(root.length)}: §${section}`);
        }
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
  });
});
