import { Command } from "commander";
import { registerCallCommand } from "./commands/call.js";
import { registerDevCommand } from "./commands/dev.js";
import { registerEmulatorCommand } from "./commands/emulator.js";
import { registerLogsCommand } from "./commands/logs.js";
import { registerMatrixCommand } from "./commands/matrix.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerNewCommand } from "./commands/new.js";
import { registerReplayCommand } from "./commands/replay.js";
import { registerWorkerCommand } from "./commands/worker.js";
import { VERSION } from "./version.js";

const program = new Command()
  .name("b24kit")
  .description("Build, test and run Bitrix24 marketplace apps")
  .version(VERSION);
registerEmulatorCommand(program);
registerMigrateCommand(program);
registerLogsCommand(program);
registerWorkerCommand(program);
registerReplayCommand(program);
registerCallCommand(program);
registerNewCommand(program);
registerDevCommand(program);
registerMatrixCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`b24kit: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
