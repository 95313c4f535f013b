import type { Command } from "commander";
import { portOption } from "./dev/ports.js";
import { type DevOptions, devSession } from "./dev/run-dev.js";

/**
 * `b24kit dev`: develop an app against a local portal. Starts the emulator, registers the app,
 * runs its entry with the generated environment (restarting on changes), installs it on the
 * default portal and prints the ready line; Ctrl-C stops both.
 */
export function registerDevCommand(program: Command): void {
  program
    .command("dev")
    .description(
      "run the app in this folder against a local Bitrix24 portal, installed and restarting on changes",
    )
    .option("--entry <file>", "the app's server entry (TypeScript runs through tsx)", "src/server.ts")
    .option(
      "--port <n>",
      "the app's port (0 picks a free one)",
      portOption("--port"),
      Number(process.env.PORT ?? 3000),
    )
    .option(
      "--emulator-port <n>",
      "the emulator's port (0 picks a free one)",
      portOption("--emulator-port"),
      Number(process.env.B24KIT_EMULATOR_PORT ?? 8480),
    )
    .option("--no-watch", "do not restart the app when its files change")
    .option("--scopes <list>", "the app's scopes (default: its manifest's, read from src/app.ts)")
    .option("--state <file>", "the emulator's state file (portals, apps, data)", ".b24kit/emulator.db")
    .option("--ca-dir <dir>", "where the emulator's local CA is kept (default ~/.b24kit/ca)")
    .action(async (opts: DevOptions) => {
      const session = devSession(opts, (code) => process.exit(code));
      // Ctrl-C stops the app and the emulator (which saves its state), also while starting.
      const shutdown = () =>
        void session.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`b24kit dev: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      try {
        await session.start();
      } catch (error) {
        await session.stop();
        throw error;
      }
    });
}
