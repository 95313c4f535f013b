import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeBlocks, readmeProblems } from "../../../scripts/readme-check.js";

// The README rule itself (scripts/readme-check.ts), on a made-up package: it must catch each way
// a README drifts from what runs, and pass what is right.
function fakePackage(readme: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "b24kit-readme-"));
  mkdirSync(join(dir, "test", "readme-examples"), { recursive: true });
  writeFileSync(join(dir, "README.md"), readme);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const RUNS = 'import { createB24Client } from "@b24kit/rest";\nconsole.log(typeof createB24Client);\n';

describe("the README rule", () => {
  it("passes examples that equal a running file, fragments that say why, and output blocks", async () => {
    const readme = [
      "# pkg",
      "<!-- example: test/readme-examples/hello.ts -->",
      "```ts",
      RUNS + "```",
      "",
      "<!-- example: test/readme-examples/unit.test.ts -->",
      "```ts",
      "export {};",
      "```",
      "<!-- fragment: a signature, not a program -->",
      "```ts",
      'import { type OAuthTokens, MemoryTokenStore } from "@b24kit/rest";',
      "```",
      "```json",
      '{"ready":true}',
      "```",
      "## `@b24kit/rest`",
      "| export | what |",
      "| --- | --- |",
      "| `createB24Client(options)` | a client |",
      "| `OAuthTokens` | a type |",
      "",
    ].join("\n");
    const dir = fakePackage(readme, {
      "test/readme-examples/hello.ts": RUNS,
      "test/readme-examples/unit.test.ts": "export {};\n",
      "test/readme-run.test.ts": 'await import("./readme-examples/hello.js");\n',
    });
    expect(await readmeProblems(dir)).toEqual([]);
  });

  it("names every block that drifted, runs nowhere, is unmarked, or imports what is not exported", async () => {
    const readme = [
      "# pkg",
      "```ts", // 2: no marker
      "const a = 1;",
      "```",
      "<!-- example: test/readme-examples/hello.ts -->",
      "```ts", // 6: differs from its file
      "console.log(2);",
      "```",
      "<!-- example: test/readme-examples/orphan.ts -->",
      "```sh", // 10: nobody runs it
      "echo hi",
      "```",
      "<!-- fragment: -->",
      "```js", // 14: a fragment without its reason
      "x();",
      "```",
      "<!-- fragment: dangling -->",
      "Some prose.",
      "<!-- fragment: imports a made-up name -->",
      "```ts", // 20
      'import { createB24Client, notAnExport } from "@b24kit/rest";',
      'import type { NoSuchType } from "@b24kit/rest/testing";',
      "```",
      "## `@b24kit/rest`",
      "| export | what |",
      "| --- | --- |",
      "| `B24Client` | fine |",
      "| `OAuthTokens(x)` | a type shown as a call |",
      "| `madeUp` | nothing |",
    ].join("\n");
    const dir = fakePackage(readme, {
      "test/readme-examples/hello.ts": "console.log(1);\n",
      "test/readme-examples/orphan.ts": "echo hi\n",
      "test/readme-run.test.ts": 'await import("./readme-examples/hello.js");\n',
    });
    expect(await readmeProblems(dir)).toEqual([
      "README.md:17: the fragment marker is not right above a code block",
      expect.stringMatching(/^README\.md:2: a ```ts block that neither runs nor says why/),
      'README.md:6: the block differs from test/readme-examples/hello.ts at its line 1 (README: "console.log(2);", file: "console.log(1);"); copy the file into the README',
      "README.md:10: nothing runs test/readme-examples/orphan.ts: a test/readme*.test.ts must name readme-examples/orphan.ts",
      "README.md:14: a fragment marker must say why it cannot run",
      "README.md:20: @b24kit/rest does not export notAnExport",
      "README.md:20: @b24kit/rest/testing does not export the type NoSuchType",
      "README.md:28: @b24kit/rest's OAuthTokens is not a function",
      "README.md:29: @b24kit/rest does not export madeUp",
    ]);
  });

  it("with completeExportTables, wants every runtime export of the entry point in its table", async () => {
    const readme = "## `@b24kit/rest/redis`\n| export | what |\n| --- | --- |\n| `RedisBucketStore` | x |\n";
    expect(await readmeProblems(fakePackage(readme, {}), { completeExportTables: true })).toEqual([
      "README.md:2: @b24kit/rest/redis exports redisRefreshLock, which the table leaves out",
    ]);
  });

  it("reads a block's text exactly as its file holds it", () => {
    const { blocks } = readmeBlocks(
      "<!-- example: test/readme-examples/a.sh -->\n```sh\necho 1\n\necho 2\n```\n",
    );
    expect(blocks).toEqual([
      {
        lang: "sh",
        code: "echo 1\n\necho 2\n",
        line: 2,
        marker: { kind: "example", value: "test/readme-examples/a.sh", line: 1 },
      },
    ]);
  });
});
