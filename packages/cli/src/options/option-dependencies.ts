import type { Command } from "commander";

/** The long flag of an option by its key (`progressEvery` → `--progress-every`). */
function flagOf(command: Command, key: string): string {
  return command.options.find((option) => option.attributeName() === key)?.long ?? key;
}

/**
 * Flags that mean something only together with `required` (`--out` with `--all`): given on the
 * command line without it they are refused, instead of being ignored without a word.
 */
export function refuseWithout(command: Command, keys: readonly string[], required: string): void {
  if (command.opts()[required] !== undefined) return;
  for (const key of keys)
    if (command.getOptionValueSource(key) === "cli") {
      const flag = flagOf(command, key);
      const needed = flagOf(command, required);
      throw new Error(`${flag} is for ${needed} (add ${needed}, or leave ${flag} out)`);
    }
}
