import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("the README's testing example", () => {
  it("is exactly test/readme-example.test.ts, which runs with the other tests", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("./readme-example.test.ts", import.meta.url), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(example);
    // Users have only the public kit: the example imports nothing else of ours.
    const ours = [...example.matchAll(/from "(@b24kit\/[^"]+|\.[^"]*)"/g)].map((m) => m[1]);
    expect(ours).toEqual(["@b24kit/emulator/testing"]);
  });
});
