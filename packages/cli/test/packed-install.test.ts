import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstLine } from "./helpers.js";
import { installTarballs, PACKAGES, packAll, root, run, tscBin, userEnv } from "./packed-project.js";

// What a user outside this repository gets: the four packages packed with `npm pack`, installed from
// the tarballs into a fresh project under the system's temp folder, and run with plain `node` (the
// build in dist/, not the TypeScript sources that the workspace's tests resolve).

interface PackageJson {
  version: string;
  engines?: { node?: string };
  exports: Record<string, Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const dir = mkdtempSync(join(tmpdir(), "b24kit-packed-"));
const project = join(dir, "project");
const installed = (name: string) => join(project, "node_modules", name);
const manifest = (name: string) =>
  JSON.parse(readFileSync(join(installed(name), "package.json"), "utf8")) as PackageJson;

/** Every file under `folder`, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

/** An ES module that imports every entry point of every package, generated from their export maps. */
function entriesModule(): string {
  const specifiers = PACKAGES.flatMap(({ name }) =>
    Object.keys(manifest(name).exports).map((key) => (key === "." ? name : `${name}/${key.slice(2)}`)),
  );
  const imports = specifiers.map((s, i) => `import * as m${i} from "${s}";`);
  const counts = specifiers.map((s, i) => `  "${s}": Object.keys(m${i}).length,`);
  return [...imports, "console.log(JSON.stringify({", ...counts, "}));", ""].join("\n");
}

/** The code of the first block fenced as `lang` in `text`, or undefined. */
function codeBlock(text: string, lang: string): string | undefined {
  return new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text)?.[1];
}

/**
 * The REST README's examples, taken from the README the installed package ships: its opening tour
 * (TypeScript, compiled in the project against the declarations the packages ship) and "Your first call"
 * (plain JavaScript, as a user saves it).
 */
async function writeReadmeExamples(): Promise<void> {
  const readme = readFileSync(join(installed("@b24kit/rest"), "README.md"), "utf8");
  const section = readme.indexOf("\n## Your first call\n");
  const tour = codeBlock(readme, "ts");
  const firstCall = section < 0 ? undefined : codeBlock(readme.slice(section), "js");
  if (!tour || !firstCall)
    throw new Error('@b24kit/rest\'s README has no ```ts tour, or no ```js block under "## Your first call"');
  writeFileSync(join(project, "quick-tour.ts"), tour);
  writeFileSync(join(project, "first-call.mjs"), firstCall);
  const compilerOptions = {
    target: "ES2023",
    lib: ["ES2023"],
    module: "NodeNext",
    strict: true,
    // Our declarations name types of their dependencies; those dependencies' own .d.ts are theirs to check.
    skipLibCheck: true,
    typeRoots: [join(root, "node_modules", "@types")],
    types: ["node"],
  };
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions, files: ["quick-tour.ts"] }),
  );
  await run(process.execPath, [tscBin, "-p", project], {
    cwd: project,
    timeoutMs: 60_000,
    hint: "the README's tour does not type-check against the installed packages' declarations",
  });
}

/** The emulator from the installed CLI's bin, as its README starts it; its CA in a folder of this test. */
async function startEmulator(): Promise<{ caFile: string; url: string; webhook: string }> {
  const bin = join(project, "node_modules", ".bin", "b24kit");
  emulator = spawn(bin, ["emulator", "--port", "0", "--ca-dir", join(dir, "ca")], {
    cwd: project,
    env: userEnv(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await Promise.race([
    firstLine(emulator),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error("the installed `b24kit emulator` printed no ready line in 30 s")),
        30_000,
      ).unref(),
    ),
  ]);
  const ready = JSON.parse(line) as {
    url: string;
    caFile: string;
    portals: { adminWebhookUrl: string }[];
  };
  return { caFile: ready.caFile, url: ready.url, webhook: ready.portals[0]!.adminWebhookUrl };
}

let emulator: ChildProcess | undefined;
let portal: { caFile: string; url: string; webhook: string };

beforeAll(async () => {
  // The tarballs hold dist/: build it first (a no-op when `npm test` has just built).
  await run(process.execPath, [tscBin, "-b"], { cwd: root, timeoutMs: 90_000, hint: "the build failed" });
  await installTarballs(project, await packAll(join(dir, "tarballs")));
  writeFileSync(join(project, "entries.mjs"), entriesModule());
  [portal] = await Promise.all([startEmulator(), writeReadmeExamples()]);
}, 180_000);

afterAll(async () => {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator!.once("exit", resolve));
    emulator.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `args` in the project as a user's shell would, trusting the emulator's CA. */
function inProject(cmd: string, args: string[]) {
  return run(cmd, args, {
    cwd: project,
    env: userEnv({ NODE_EXTRA_CA_CERTS: portal.caFile }),
    timeoutMs: 30_000,
  });
}

describe("the packages installed from their npm pack tarballs in a fresh project", () => {
  it("hold every file their exports and bin name, declare Node >=20.19, and ship no build bookkeeping", async () => {
    for (const { name } of PACKAGES) {
      const pkg = manifest(name);
      expect(pkg.engines?.node, name).toBe(">=20.19");
      for (const [subpath, conditions] of Object.entries(pkg.exports)) {
        // TypeScript takes the first condition it knows: types must come before default.
        expect(Object.keys(conditions)[0], `${name} ${subpath}`).toBe("types");
        for (const condition of ["types", "default"])
          expect(
            existsSync(join(installed(name), conditions[condition]!)),
            `${name} ${subpath} ${condition}`,
          ).toBe(true);
      }
      for (const target of Object.values(pkg.bin ?? {}))
        expect(existsSync(join(installed(name), target))).toBe(true);
      const files = filesUnder(installed(name));
      expect(
        files.filter((f) => f.endsWith(".tsbuildinfo") || /^test\b/.test(f)),
        name,
      ).toEqual([]);
      // Each b24kit dependency is satisfied by the tarball installed beside it, not by a nested copy.
      for (const dep of Object.keys(pkg.dependencies ?? {}).filter((d) =>
        PACKAGES.some((p) => p.name === d),
      )) {
        expect(existsSync(join(installed(name), "node_modules", dep)), `${name} → ${dep}`).toBe(false);
        expect(manifest(dep).version, `${name} → ${dep}`).toBe(pkg.dependencies![dep]);
      }
    }
    // npm's own check: every dependency of the tree present and within its range.
    await run("npm", ["ls", "--all"], { cwd: project, timeoutMs: 30_000 });
  });

  it("load every entry point with plain node", async () => {
    const { stdout } = await inProject(process.execPath, ["entries.mjs"]);
    const counts = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(counts)).toContain("@b24kit/app/sqlite");
    for (const [specifier, exported] of Object.entries(counts))
      expect(exported, specifier).toBeGreaterThan(0);
  });

  // Two node processes of up to 30 s each: the default 30 s per test is too little on a loaded CI machine.
  it("run the REST README's tour and first call against the emulator started by the installed CLI", {
    timeout: 120_000,
  }, async () => {
    const { stdout } = await inProject(process.execPath, [
      "--input-type=module",
      "-e",
      // The portal's own stylesheet comes from the emulator's assets/ folder, which must ship.
      // The body is read: an unread one can hold the socket, and the process, open.
      `const r = await fetch(new URL("_portal/assets/portal.css", "${portal.url}")); await r.text(); console.log(r.status);`,
    ]);
    expect(stdout.trim()).toBe("200");
    // As the README runs them: the ready line's caFile and adminWebhookUrl in the environment.
    const env = userEnv({ NODE_EXTRA_CA_CERTS: portal.caFile, B24_WEBHOOK_URL: portal.webhook });
    const first = await run(process.execPath, ["first-call.mjs"], { cwd: project, env, timeoutMs: 30_000 });
    expect(first.stdout).toMatch(/^Hello, .+ \(user 1\)$/m);
    const tour = await run(process.execPath, ["quick-tour.js"], { cwd: project, env, timeoutMs: 30_000 });
    expect(tour.stdout).toMatch(/^Deal \d+: /);
  });

  it("answer `npx b24kit --help` and run the root README's `b24kit call`", async () => {
    // --yes=false: the project's own bin or nothing; never a package of that name from the registry.
    const help = await inProject("npx", ["--yes=false", "b24kit", "--help"]);
    expect(help.stdout).toMatch(/^Usage: b24kit/);
    for (const command of ["emulator", "call", "new", "dev", "matrix"])
      expect(help.stdout).toContain(`  ${command} `);
    // The same bin that npx runs, without npm's start-up cost for each call.
    const b24kit = join(project, "node_modules", ".bin", "b24kit");
    const added = await inProject(b24kit, [
      "call",
      "crm.deal.add",
      "fields[TITLE]=From the CLI",
      "--webhook",
      portal.webhook,
    ]);
    const id = JSON.parse(added.stdout) as number;
    const list = await inProject(b24kit, [
      "call",
      "crm.deal.list",
      "select[]=ID",
      "select[]=TITLE",
      "--webhook",
      portal.webhook,
    ]);
    expect(JSON.parse(list.stdout)).toContainEqual({ ID: String(id), TITLE: "From the CLI" });
  });
});
