// The rule that keeps the packages' READMEs true (issue 16), shared by the readme tests of rest, emulator
// and app. Every ```ts/```js/```sh block either is a file under the package's test/readme-examples/ that a
// test runs, announced by `<!-- example: test/readme-examples/NAME -->` on the line above it, or says why
// it cannot run, `<!-- fragment: why -->`. Every name a README imports from @b24kit/… or lists in an
// `| export |` table must be exported there.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import ts from "typescript";

/** Languages of blocks a reader would run; others (json, plain diagrams) are output and need no marker. */
const RUNNABLE = new Set(["ts", "typescript", "js", "javascript", "mjs", "sh", "bash", "shell"]);
const MARKER = /^<!--\s*(example|fragment):\s*(.*?)\s*-->$/;

export interface Marker {
  kind: "example" | "fragment";
  value: string;
  line: number;
}

export interface ReadmeBlock {
  lang: string;
  /** The block's text, each line ending in "\n", as its file holds it. */
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  marker?: Marker;
}

/** The fenced blocks of a README and the markers above them; a marker with no block under it is dangling. */
export function readmeBlocks(markdown: string): { blocks: ReadmeBlock[]; dangling: Marker[] } {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  const dangling: Marker[] = [];
  let pending: Marker | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line.trim());
    const fence = /^```(\S*)\s*$/.exec(line);
    if (marker) {
      if (pending) dangling.push(pending);
      pending = { kind: marker[1] as Marker["kind"], value: marker[2]!, line: i + 1 };
    } else if (fence) {
      let end = i + 1;
      while (end < lines.length && lines[end] !== "```") end++;
      const code = lines.slice(i + 1, end).map((l) => `${l}\n`);
      blocks.push({
        lang: fence[1]!,
        code: code.join(""),
        line: i + 1,
        ...(pending ? { marker: pending } : {}),
      });
      pending = undefined;
      i = end;
    } else if (line.trim() !== "" && pending) {
      dangling.push(pending);
      pending = undefined;
    }
  }
  if (pending) dangling.push(pending);
  return { blocks, dangling };
}

export interface ReadmeCheckOptions {
  /** Every runtime export of an entry point with an `| export |` table must be in that table. */
  completeExportTables?: boolean;
}

/** What is wrong with the README of the package in `packageDir`, one line each (none: all is well). */
export async function readmeProblems(
  packageDir: string | URL,
  options: ReadmeCheckOptions = {},
): Promise<string[]> {
  const dir = typeof packageDir === "string" ? packageDir : packageDir.pathname;
  const markdown = readFileSync(join(dir, "README.md"), "utf8");
  const { blocks, dangling } = readmeBlocks(markdown);
  const problems: string[] = [];
  for (const m of dangling)
    problems.push(`README.md:${m.line}: the ${m.kind} marker is not right above a code block`);
  for (const block of blocks) problems.push(...blockProblems(dir, block));
  for (const block of blocks) {
    for (const { names, from } of importsOf(block.code))
      problems.push(...(await missingExports(from, names)).map((p) => `README.md:${block.line}: ${p}`));
  }
  problems.push(...(await exportTableProblems(markdown, options)));
  return problems;
}

function blockProblems(dir: string, block: ReadmeBlock): string[] {
  const at = `README.md:${block.line}`;
  const { marker } = block;
  if (!marker) {
    return RUNNABLE.has(block.lang)
      ? [
          `${at}: a \`\`\`${block.lang} block that neither runs nor says why: keep it as a file in test/readme-examples/ that a test runs and put <!-- example: test/readme-examples/NAME --> above it, or put <!-- fragment: why it cannot run --> above it`,
        ]
      : [];
  }
  if (marker.kind === "fragment")
    return marker.value ? [] : [`${at}: a fragment marker must say why it cannot run`];
  if (!marker.value.startsWith("test/readme-examples/"))
    return [`${at}: examples live in test/readme-examples/, not ${marker.value}`];
  const file = join(dir, marker.value);
  if (!existsSync(file)) return [`${at}: ${marker.value} does not exist`];
  const problems: string[] = [];
  const content = readFileSync(file, "utf8");
  if (content !== block.code) {
    const a = block.code.split("\n");
    const b = content.split("\n");
    const n = a.findIndex((line, i) => line !== b[i]);
    problems.push(
      `${at}: the block differs from ${marker.value} at its line ${n + 1} (README: ${JSON.stringify(a[n])}, file: ${JSON.stringify(b[n])}); copy the file into the README`,
    );
  }
  if (!marker.value.endsWith(".test.ts") && !runBy(dir, basename(file)))
    problems.push(
      `${at}: nothing runs ${marker.value}: a test/readme*.test.ts must name readme-examples/${basename(file)}`,
    );
  return problems;
}

/**
 * Whether a readme test names the example file (vitest runs *.test.ts files by itself); a TypeScript
 * module may be named as it is imported, `x.js`.
 */
function runBy(dir: string, name: string): boolean {
  const testDir = join(dir, "test");
  const names = [`readme-examples/${name}`, `readme-examples/${name.replace(/\.ts$/, ".js")}`];
  return readdirSync(testDir)
    .filter((f) => /^readme.*\.test\.ts$/.test(f))
    .some((f) => names.some((n) => readFileSync(join(testDir, f), "utf8").includes(n)));
}

/** `import { a, type B } from "@b24kit/…"` statements of a block (one may span lines). */
export function importsOf(
  code: string,
): Array<{ from: string; names: Array<{ name: string; type: boolean }> }> {
  const out: Array<{ from: string; names: Array<{ name: string; type: boolean }> }> = [];
  for (const m of code.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*"(@b24kit\/[^"]+)"/g)) {
    const names = m[2]!
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => {
        const type = Boolean(m[1]) || n.startsWith("type ");
        return { name: n.replace(/^type\s+/, "").split(/\s+as\s+/)[0]!, type };
      });
    out.push({ from: m[3]!, names });
  }
  return out;
}

async function missingExports(
  from: string,
  names: Array<{ name: string; type: boolean }>,
): Promise<string[]> {
  const values = await runtimeExports(from);
  return names
    .filter(({ name, type }) => !(values.has(name) || (type && typeExports(from).has(name))))
    .map(({ name, type }) => `${from} does not export ${type ? "the type " : ""}${name}`);
}

/** `| export | … |` tables: each row's first name must be exported by the entry point its heading names. */
async function exportTableProblems(markdown: string, options: ReadmeCheckOptions): Promise<string[]> {
  const problems: string[] = [];
  const lines = markdown.split("\n");
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("#")) heading = line;
    if (!/^\|\s*export\s*\|/.test(line)) continue;
    const entry = /`(@b24kit\/[^`]+)`/.exec(heading)?.[1];
    if (!entry) {
      problems.push(
        `README.md:${i + 1}: an export table under a heading that names no \`@b24kit/…\` entry point`,
      );
      continue;
    }
    const values = await runtimeExports(entry);
    const listed = new Set<string>();
    for (let r = i + 2; r < lines.length && lines[r]!.startsWith("|"); r++) {
      const cell = lines[r]!.split("|")[1] ?? "";
      for (const m of cell.matchAll(/`([A-Za-z_$][\w$]*)(\(?)/g)) {
        const [, name, call] = m;
        listed.add(name!);
        if (!values.has(name!) && !typeExports(entry).has(name!))
          problems.push(`README.md:${r + 1}: ${entry} does not export ${name}`);
        else if (call && typeof values.get(name!) !== "function")
          problems.push(`README.md:${r + 1}: ${entry}'s ${name} is not a function`);
      }
    }
    if (options.completeExportTables) {
      for (const name of values.keys())
        if (!listed.has(name))
          problems.push(`README.md:${i + 1}: ${entry} exports ${name}, which the table leaves out`);
    }
  }
  return problems;
}

async function runtimeExports(specifier: string): Promise<Map<string, unknown>> {
  return new Map(Object.entries((await import(specifier)) as Record<string, unknown>));
}

const REPO = new URL("../", import.meta.url).pathname;

/**
 * Every name an entry point exports, types included, read from its source's export statements (following
 * `export * from` into the package's own files). Asked only for names that are not runtime exports.
 */
export function typeExports(specifier: string): Set<string> {
  return exportsOfFile(sourceOf(specifier));
}

function exportsOfFile(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) for (const e of clause.elements) names.add(e.name.text);
      else if (clause) names.add(clause.name.text);
      else if (statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = join(dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, ".ts"));
        for (const name of exportsOfFile(target)) names.add(name);
      }
      continue;
    }
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if ("name" in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      names.add((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

/** `@b24kit/rest/redis` → packages/rest/src/redis.ts, through the package's "source" export condition. */
function sourceOf(specifier: string): string {
  for (const pkg of readdirSync(join(REPO, "packages"))) {
    const manifestFile = join(REPO, "packages", pkg, "package.json");
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
      name: string;
      exports?: Record<string, { source?: string }>;
    };
    if (specifier !== manifest.name && !specifier.startsWith(`${manifest.name}/`)) continue;
    const source = manifest.exports?.[`.${specifier.slice(manifest.name.length)}`]?.source;
    if (source) return join(REPO, "packages", pkg, source);
  }
  throw new Error(`no package in this repository exports ${specifier}`);
}
