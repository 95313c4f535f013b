import { resolve } from "node:path";
import type { Command } from "commander";
import { folderToWrite } from "../options/path-values.js";
import { VERSION } from "../version.js";
import { dependencySource } from "./new/dependency-source.js";
import { folderNameOf, packageNameProblems } from "./new/package-name.js";
import { writeApp } from "./new/write-app.js";

/**
 * `b24kit new NAME [--dir PARENT]`: a new app from the template (packages/cli/template) in
 * PARENT/NAME: a deal tab, an event handler, a production entry, a test against the emulator.
 */
export function registerNewCommand(program: Command): void {
  program
    .command("new")
    .description("write a new Bitrix24 app (a deal tab, an event handler, a test) into a new folder")
    .argument("<name>", "the app's npm package name; also the folder's name")
    .option("--dir <parent>", "the folder to create the app in", folderToWrite("--dir"), ".")
    .action((name: string, opts: { dir: string }) => {
      const problems = packageNameProblems(name);
      if (problems.length > 0)
        throw new Error(`"${name}" cannot be an npm package name: ${problems.join("; ")}`);
      const target = resolve(opts.dir, folderNameOf(name));
      const source = dependencySource(VERSION);
      const files = writeApp(target, name, source);
      const lines = [`Created ${name} in ${target}:`, ...files.map((f) => `  ${f}`)];
      if (source.kind === "checkout")
        lines.push(
          "",
          `The b24kit packages are not on npm yet: package.json links them from this checkout (${source.root}).`,
        );
      if (source.unbuilt.length > 0)
        lines.push(`Not built yet: ${source.unbuilt.join(", ")} — run \`npm run build\` in ${source.root}.`);
      lines.push(
        "",
        "Next:",
        `  cd ${target}`,
        "  npm install",
        "  npm start   # a local portal with the app installed",
        "  npm test",
      );
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
