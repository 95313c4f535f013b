import { expect, it } from "vitest";
import { readmeProblems } from "../../../scripts/readme-check.js";

it("README: every code block runs (a file in test/readme-examples/) or says why not; its imports exist", async () => {
  expect(await readmeProblems(new URL("..", import.meta.url))).toEqual([]);
});
