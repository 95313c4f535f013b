import { builtinModules } from "node:module";

/**
 * The problems npm would have with `name` as a new package's name (the rules of
 * validate-npm-package-name for new packages); empty when it is fine.
 */
export function packageNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) return ["it is empty"];
  if (name.length > 214) problems.push("it is longer than 214 characters");
  if (name !== name.trim()) problems.push("it has spaces around it");
  if (name.startsWith(".")) problems.push('it starts with "."');
  if (name.startsWith("_")) problems.push('it starts with "_"');
  if (name !== name.toLowerCase()) problems.push("it has capital letters");
  if (/[~'!()*]/.test(name)) problems.push("it has one of the characters ~'!()*");
  if (["node_modules", "favicon.ico"].includes(name.toLowerCase())) problems.push("that name is reserved");
  if (builtinModules.includes(name)) problems.push("it is the name of a Node.js core module");
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (name.startsWith("@") && !scoped) problems.push("a scoped name looks like @scope/name");
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  if (parts.some((part) => encodeURIComponent(part) !== part))
    problems.push("it has characters that are not URL-safe (letters, digits, - . _ only)");
  if (scoped && (scoped[2]!.startsWith(".") || scoped[2]!.startsWith("_")))
    problems.push('the part after the scope starts with "." or "_"');
  return problems;
}

/** The folder a new app of that name goes into: the name without its scope. */
export function folderNameOf(name: string): string {
  return name.startsWith("@") ? name.slice(name.indexOf("/") + 1) : name;
}
