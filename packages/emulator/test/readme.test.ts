import { expect, it } from "vitest";
import { readmeProblems } from "../../../scripts/readme-check.js";

// The README's blocks run or say why not, and its export tables list exactly what the entry points export.
it("README: every code block runs (a file in test/readme-examples/) or says why not; exports are as listed", async () => {
  expect(await readmeProblems(new URL("..", import.meta.url), { completeExportTables: true })).toEqual([]);
});

it("README: the kit's example imports nothing of ours but the public kit", async () => {
  const { readFileSync } = await import("node:fs");
  const example = readFileSync(new URL("./readme-examples/event-and-tab.test.ts", import.meta.url), "utf8");
  const ours = [...example.matchAll(/from "(@b24kit\/[^"]+|\.[^"]*)"/g)].map((m) => m[1]);
  expect(ours).toEqual(["@b24kit/emulator/testing"]);
});
