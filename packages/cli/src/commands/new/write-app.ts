import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { cliRoot, type DependencySource } from "./dependency-source.js";

/** The template a new app is written from (packages/cli/template, shipped with the CLI). */
export const templateDir = join(cliRoot, "template");

/** Template files stored under another name: npm never packs a file called .gitignore. */
const RENAMED: Record<string, string> = { gitignore: ".gitignore" };

/** Every file of the template, as paths relative to it. */
function templateFiles(dir = templateDir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [relative(templateDir, path)];
  });
}

/** A folder the app may go into: absent, or an empty directory. Throws with what to do otherwise. */
export function assertWritableTarget(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory())
    throw new Error(`${target} exists and is not a folder: pick another name`);
  if (readdirSync(target).length > 0)
    throw new Error(`${target} exists and is not empty: pick another name or --dir, or empty it first`);
}

function dependencyNote(source: DependencySource): string {
  const published = Object.entries(source.published)
    .map(([name, spec]) => `\`"${name}": "${spec}"\``)
    .join(", ");
  if (source.kind === "registry") return `The b24kit packages come from npm: ${published}.`;
  return [
    "The b24kit packages are not published to npm yet, so this app was written by a b24kit checkout",
    `(\`${source.root}\`) and its \`package.json\` points at that checkout's packages with \`file:\` paths,`,
    "which npm links (run `npm run build` in the checkout after pulling changes). Once the packages are",
    `published, those lines read ${published}, and the app no longer needs the checkout.`,
  ].join("\n");
}

/** The new app's package.json: the template's, with its name and where the b24kit packages come from. */
function packageJson(name: string, source: DependencySource): string {
  const pkg = JSON.parse(readFileSync(join(templateDir, "package.json"), "utf8")) as {
    name: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  pkg.name = name;
  for (const deps of [pkg.dependencies, pkg.devDependencies])
    for (const dep of Object.keys(deps)) if (source.specs[dep]) deps[dep] = source.specs[dep];
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Writes the app into `target` (absent or empty); returns the files written, relative to it. */
export function writeApp(target: string, name: string, source: DependencySource): string[] {
  assertWritableTarget(target);
  const written: string[] = [];
  for (const file of templateFiles()) {
    const out = join(target, RENAMED[file] ?? file);
    let text = readFileSync(join(templateDir, file), "utf8");
    if (file === "package.json") text = packageJson(name, source);
    else text = text.replaceAll("{{name}}", name).replaceAll("{{dependencyNote}}", dependencyNote(source));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(relative(target, out));
  }
  return written.sort();
}
