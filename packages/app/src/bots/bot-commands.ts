/** A `/name args` message, split. */
export interface ParsedCommand {
  /** Lower-case, without the slash. */
  name: string;
  args: string[];
  argsText: string;
}

/**
 * `/deal 42 won` → `{ name: "deal", args: ["42", "won"], argsText: "42 won" }`.
 * Leading spaces, commas and colons are skipped (what is left of "@Bot, /help"
 * in a group chat once the portal removes the mention). A path such as
 * `/usr/bin` or a lone `/` is not a command.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = /^[\s,:]*\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match?.[1]) return undefined;
  const argsText = (match[2] ?? "").trim();
  return {
    name: match[1].toLowerCase(),
    args: argsText ? argsText.split(/\s+/) : [],
    argsText,
  };
}

/** The key of `commands` a parsed name selects (keys may be written with a slash or in any case). */
export function findCommand<T>(commands: Record<string, T>, name: string): string | undefined {
  return Object.keys(commands).find((key) => key.replace(/^\//, "").toLowerCase() === name);
}

/** The default answer to an unknown command: what the bot understands. */
export function unknownCommandText(name: string, commands: Record<string, unknown>): string {
  const list = Object.keys(commands).map((key) => `/${key.replace(/^\//, "")}`);
  return `Unknown command /${name}. Commands: ${list.join(", ")}`;
}
