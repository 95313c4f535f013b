import type { Command } from "commander";
import { fromEnv } from "../options/env-values.js";
import { portNumber } from "../options/number-values.js";
import { existingFile, fileToWrite, folderToWrite } from "../options/path-values.js";
import { scopeList } from "../options/scope-list.js";
import type { DevOptions } from "./dev/run-dev.js";

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
    .option(
      "--entry <file>",
      "the app's server entry (TypeScript runs through tsx)",
      existingFile("--entry"),
      "src/server.ts",
    )
    .option("--port <n>", "the app's port (0 picks a free one; default $PORT or 3000)", portNumber("--port"))
    .option(
      "--emulator-port <n>",
      "the emulator's port (0 picks a free one; default $B24KIT_EMULATOR_PORT or 8480)",
      portNumber("--emulator-port"),
    )
    .option("--no-watch", "do not restart the app when its files change")
    .option(
      "--scopes <list>",
      "the app's scopes (default: its manifest's, read from src/app.ts)",
      scopeList("--scopes"),
    )
    .option(
      "--state <file>",
      "the emulator's state file (portals, apps, data)",
      fileToWrite("--state"),
      ".b24kit/emulator.db",
    )
    .option(
      "--ca-dir <dir>",
      "where the emulator's local CA is kept (default ~/.b24kit/ca)",
      folderToWrite("--ca-dir"),
    )
    .action(async (flags: Omit<DevOptions, "port" | "emulatorPort"> & Partial<DevOptions>) => {
      // The environment stands in for a flag not given, read as strictly as the flag.
      const opts: DevOptions = {
        ...flags,
        port: flags.port ?? fromEnv(process.env, "PORT", portNumber) ?? 3000,
        emulatorPort: flags.emulatorPort ?? fromEnv(process.env, "B24KIT_EMULATOR_PORT", portNumber) ?? 8480,
      };
      // The emulator and the app runtime load only now: a refused option is refused at once.
      const { devSession } = await import("./dev/run-dev.js");
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
