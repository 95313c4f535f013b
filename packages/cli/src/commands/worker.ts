import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { B24App } from "@b24kit/app";
import type { Command } from "commander";
import { wholeNumber } from "../options/number-values.js";

/**
 * `b24kit worker --app MODULE`: the event workers of the cluster profile, as
 * processes of their own. MODULE exports the app (`createApp(...)`, with
 * `workers: 0` so that importing it starts nothing) as its default or as
 * `app`, or a function that returns it.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run an app's event workers (cluster profile)")
    .requiredOption(
      "--app <module>",
      "module exporting the app (default or `app`), or a function returning it",
    )
    .option("--concurrency <n>", "jobs run at once by this process", wholeNumber("--concurrency", 1, 1000), 4)
    .action(async (opts: { app: string; concurrency: number }) => {
      const { concurrency } = opts;
      const app = await loadApp(opts.app);
      await app.ready();
      const consumer = app.work({ concurrency });
      process.stdout.write(`${JSON.stringify({ worker: true, pid: process.pid, concurrency })}\n`);
      // A stop waits for the jobs in flight, so a rolling deploy loses and repeats nothing.
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await consumer.stop();
        await app.close();
        await app.queue?.close();
        process.exit(0);
      };
      process.once("SIGTERM", () => void stop());
      process.once("SIGINT", () => void stop());
    });
}

async function loadApp(path: string): Promise<B24App> {
  // Checked here, after the other options: a missing file says so, not Node's resolver.
  if (!existsSync(resolve(path))) throw new Error(`--app: cannot load the app module ${path}: no such file`);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `cannot load the app module ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let candidate = loaded.default ?? loaded.app;
  if (typeof candidate === "function") candidate = await (candidate as () => unknown)();
  const app = candidate as Partial<B24App> | undefined;
  if (!app || typeof app.work !== "function" || typeof app.ready !== "function")
    throw new Error(`${path} exports no app: export the result of createApp() as default or as \`app\``);
  if (!app.queue) throw new Error(`the app in ${path} has no queue: pass \`queue\` to createApp`);
  return app as B24App;
}
