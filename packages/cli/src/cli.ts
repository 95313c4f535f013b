import { Command } from "commander";
import { VERSION } from "./version.js";

type Register = (program: Command) => void;

/**
 * Every command, loaded on demand: the packages behind them (the app runtime, the emulator) take
 * about a second to import, which `b24kit <command>` should pay only for its own command, and a
 * mistyped option should be refused at once. Listed in the order `b24kit --help` shows them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  emulator: async () => (await import("./commands/emulator.js")).registerEmulatorCommand,
  migrate: async () => (await import("./commands/migrate.js")).registerMigrateCommand,
  logs: async () => (await import("./commands/logs.js")).registerLogsCommand,
  worker: async () => (await import("./commands/worker.js")).registerWorkerCommand,
  replay: async () => (await import("./commands/replay.js")).registerReplayCommand,
  call: async () => (await import("./commands/call.js")).registerCallCommand,
  new: async () => (await import("./commands/new.js")).registerNewCommand,
  dev: async () => (await import("./commands/dev.js")).registerDevCommand,
  matrix: async () => (await import("./commands/matrix.js")).registerMatrixCommand,
};

const program = new Command()
  .name("b24kit")
  .description("Build, test and run Bitrix24 marketplace apps")
  .version(VERSION);

/** The command named on the command line, or every one (help, --version, a name to suggest against). */
async function register(argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  const named = args.find((arg) => !arg.startsWith("-"));
  if (named === undefined && (args.includes("--version") || args.includes("-V"))) return;
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const add of registers) add(program);
}

register(process.argv)
  .then(() => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    // One line, whoever wrote the message (a configuration error lists its problems one per line).
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message
      .trim()
      .replace(/:\s*\n\s*/g, ": ")
      .replace(/\s*\n\s*/g, "; ");
    console.error(`b24kit: ${oneLine}`);
    process.exit(1);
  });
