import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { bin } from "./helpers.js";

// The CLI README documents every command and every flag. Its synopses are compared with what the built
// CLI's `--help` prints, so that adding, renaming or removing a flag without the README fails here.

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const FLAG = /--[a-z][a-z0-9-]*/g;

async function help(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args, "--help"], {
    timeout: 20_000,
  });
  return stdout;
}

/** The indented lines under one heading ("Options:", "Commands:") of commander's help. */
function helpLines(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(`${heading}:`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith(" "));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The long flags a help text lists (option lines start with two spaces; wrapped descriptions with more). */
function helpFlags(text: string): string[] {
  return helpLines(text, "Options")
    .map((line) => /^ {2}(?:-\w, )?(--[a-z][\w-]*)/.exec(line)?.[1])
    .filter((flag): flag is string => flag !== undefined && flag !== "--help");
}

function helpCommands(text: string): string[] {
  return helpLines(text, "Commands")
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== "help");
}

/** The README's section on a command: from its "## `b24kit NAME`" heading to the next such heading. */
function readmeSection(name: string): string | undefined {
  const start = readme.indexOf(`\n## \`b24kit ${name}\`\n`);
  if (start < 0) return undefined;
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const unique = (flags: Iterable<string>) => [...new Set(flags)].sort();
const missing = (from: string[], list: string[]) => from.filter((flag) => !list.includes(flag));

describe("the CLI README", () => {
  it("has a section for every command of `b24kit --help`, and none for a command that does not exist", async () => {
    const root = await help([]);
    const documented = [...readme.matchAll(/^## `b24kit ([a-z-]+)`$/gm)].map((m) => m[1]!);
    expect(unique(documented)).toEqual(unique(helpCommands(root)));
    for (const flag of helpFlags(root)) expect(readme).toContain(`\`b24kit ${flag}\``);
  });

  it("lists in each command's synopsis exactly the flags its --help prints, and describes each of them", async () => {
    const commands = helpCommands(await help([]));
    const texts = await Promise.all(commands.map((command) => help([command])));
    const problems: string[] = [];
    commands.forEach((command, i) => {
      const section = readmeSection(command) ?? "";
      // The synopsis is the section's first code block; the description is everything after it.
      const block = /```sh\n([\s\S]*?)```/.exec(section);
      const synopsis = unique(block?.[1]?.match(FLAG) ?? []);
      const prose = block ? section.slice(block.index + block[0].length) : section;
      const flags = unique(helpFlags(texts[i]!));
      for (const flag of missing(flags, synopsis))
        problems.push(`${command}: ${flag} is missing from the synopsis`);
      for (const flag of missing(synopsis, flags))
        problems.push(`${command}: ${flag} is not an option any more`);
      for (const flag of flags)
        if (!new RegExp("`" + flag + "[ `=]").test(prose))
          problems.push(`${command}: ${flag} is not described (\`${flag} …\`) below the synopsis`);
      // The commands table names flags too; they must exist.
      const row = readme.split("\n").find((line) => line.startsWith(`| [\`b24kit ${command}`)) ?? "";
      for (const flag of missing(unique(row.match(FLAG) ?? []), flags))
        problems.push(`${command}: the commands table names ${flag}, which it does not have`);
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
