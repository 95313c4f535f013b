import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin } from "./helpers.js";

// `b24kit new` writes an app whose own `npm install` and `npm test` work at once: here they run for
// real, in a folder outside the workspace, installing vitest, tsx and typescript from the registry
// (--prefer-offline: from npm's cache when it has them) and linking the b24kit packages of this
// checkout (file: dependencies, as the CLI writes them while the packages are not on npm).
const workspace = resolve(import.meta.dirname, "..", "..", "..");
const parent = mkdtempSync(join(tmpdir(), "b24kit-new-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const b24kitNew = (...args: string[]) =>
  spawnSync(process.execPath, [bin, "new", ...args], { encoding: "utf8", cwd: parent });

/** This test's environment minus what belongs to the outer vitest and npm runs, for the app's own. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(VITEST|__VITEST|TEST$|NODE_ENV$|INIT_CWD$|npm_package_|npm_lifecycle_|npm_config_workspace)/.test(
          key,
        ),
    ),
  );
}

function npm(cwd: string, ...args: string[]) {
  const started = Date.now();
  const r = spawnSync("npm", args, { cwd, encoding: "utf8", env: cleanEnv(), timeout: 240_000 });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

describe("b24kit new", () => {
  it("writes an app whose npm install, npm test and typecheck pass", { timeout: 600_000 }, () => {
    const r = b24kitNew("deal-tab-app");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const dir = join(parent, "deal-tab-app");
    expect(r.stdout).toContain(`Created deal-tab-app in ${dir}`);
    for (const file of [
      ".gitignore",
      "README.md",
      "package.json",
      "tsconfig.json",
      "vitest.config.ts",
      "src/app.ts",
      "src/server.ts",
      "test/app.test.ts",
      "test/global-setup.ts",
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);

    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ name: "deal-tab-app", type: "module" });
    expect(pkg.scripts).toMatchObject({ start: "b24kit dev", test: "vitest run" });
    // The b24kit packages from this checkout, by absolute path; the rest pinned as the workspace pins them.
    expect(pkg.dependencies["@b24kit/app"]).toBe(`file:${join(workspace, "packages/app")}`);
    expect(pkg.dependencies["@b24kit/rest"]).toBe(`file:${join(workspace, "packages/rest")}`);
    expect(pkg.devDependencies["@b24kit/emulator"]).toBe(`file:${join(workspace, "packages/emulator")}`);
    expect(pkg.devDependencies.b24kit).toBe(`file:${join(workspace, "packages/cli")}`);
    const root = JSON.parse(readFileSync(join(workspace, "package.json"), "utf8"));
    for (const dep of ["vitest", "tsx", "typescript", "@types/node"])
      expect(pkg.dependencies[dep] ?? pkg.devDependencies[dep], dep).toBe(root.devDependencies[dep]);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("# deal-tab-app");
    expect(readme).toContain('`"@b24kit/app": "^0.1.0"`');
    expect(readme).not.toContain("{{");

    const install = npm(dir, "install", "--prefer-offline", "--no-audit", "--no-fund");
    expect(install.status, install.stderr).toBe(0);
    const test = npm(dir, "test");
    expect(test.status, `${test.stdout}\n${test.stderr}`).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+.*3 passed/);
    const typecheck = npm(dir, "run", "typecheck");
    expect(typecheck.status, typecheck.stdout).toBe(0);
    console.log(
      `generated app: npm install ${install.seconds}s, npm test ${test.seconds}s, typecheck ${typecheck.seconds}s`,
    );
  });

  it("refuses a folder that exists and is not empty, and leaves it alone", () => {
    const dir = join(parent, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    const r = b24kitNew("taken");
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `b24kit: ${dir} exists and is not empty: pick another name or --dir, or empty it first`,
    );
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(dir, "package.json"))).toBe(false);
  });

  it("refuses a file in the way", () => {
    writeFileSync(join(parent, "a-file"), "");
    const r = b24kitNew("a-file");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("exists and is not a folder");
  });

  it("writes into an empty folder, and into --dir", () => {
    mkdirSync(join(parent, "empty"));
    expect(b24kitNew("empty").status).toBe(0);
    expect(existsSync(join(parent, "empty", "src", "app.ts"))).toBe(true);
    const r = b24kitNew("@acme/deal-tab", "--dir", join(parent, "nested", "apps"));
    expect(r.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(parent, "nested", "apps", "deal-tab", "package.json"), "utf8"));
    expect(pkg.name).toBe("@acme/deal-tab");
  });

  it.each(
    [
      ["My-App", "it has capital letters"],
      ["my app", "not URL-safe"],
      [".hidden", 'it starts with "."'],
      ["_private", 'it starts with "_"'],
      ["fs", "core module"],
      ["node_modules", "reserved"],
      ["a/b", "not URL-safe"],
      ["@scope", "a scoped name looks like @scope/name"],
      ["x".repeat(215), "longer than 214"],
      ["app(1)", "~'!()*"],
    ].map(([name = "", problem = ""]) => ({
      name,
      problem,
      shown: name.length > 40 ? `${name.slice(0, 9)}…` : name,
    })),
  )("refuses the name $shown", ({ name, problem }) => {
    const r = b24kitNew(name);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot be an npm package name");
    expect(r.stderr).toContain(problem);
  });
});
