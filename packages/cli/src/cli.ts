import { Command } from "commander";
import { VERSION } from "./version.js";

const program = new Command()
  .name("b24kit")
  .description("Build, test and run Bitrix24 marketplace apps")
  .version(VERSION);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
