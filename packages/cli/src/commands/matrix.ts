import { resolve } from "node:path";
import type { ModuleId, PlanId } from "@b24kit/emulator";
import { type Command, InvalidArgumentError, Option } from "commander";
import { wholeNumber } from "../options/number-values.js";
import { existingFolder, fileToWrite, folderToWrite } from "../options/path-values.js";
import { scopeList } from "../options/scope-list.js";
import { listOption, MODULE_IDS, matrixCells, PLAN_IDS, USER_KINDS, type UserKind } from "./matrix/cells.js";

interface MatrixOptions {
  app: string;
  out?: string;
  json?: string;
  plans: PlanId[];
  modules: ModuleId[];
  users: UserKind[];
  base: PlanId;
  full?: boolean;
  scenarios?: string[];
  entry?: string;
  scopes?: string;
  caDir?: string;
  concurrency: number;
  timeout: number;
  appLog?: boolean;
}

/** --scenarios a,b: names, at least one (which ones exist is known once the app is read). */
function scenarioNames(value: string): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new InvalidArgumentError(
      `--scenarios must name at least one scenario (comma-separated), got "${value}"`,
    );
  return names;
}

/**
 * `b24kit matrix`: installs the app on emulated portals across plans, module sets and users, runs its
 * declared scenarios in each, and reports every cell as works / degrades with a message / fails: a
 * table on stdout (a progress bar on stderr meanwhile) and an HTML report. Exits 1 if a cell fails.
 */
export function registerMatrixCommand(program: Command): void {
  program
    .command("matrix")
    .description(
      "run the app's scenarios on portals of every plan, with modules off and restricted users; report what fails",
    )
    .option("--app <dir>", "the app's folder", existingFolder("--app"), ".")
    .option("--out <file>", "the HTML report (default: <app>/.b24kit/matrix.html)", fileToWrite("--out"))
    .option("--json <file>", "also write the results as JSON", fileToWrite("--json"))
    .option(
      "--plans <list>",
      `plans tried with every module on (${PLAN_IDS.join(",")})`,
      listOption("--plans", PLAN_IDS),
      PLAN_IDS,
    )
    .option(
      "--modules <list>",
      `modules switched off one at a time, on the --base plan (${MODULE_IDS.join(",")}; none)`,
      listOption("--modules", MODULE_IDS),
      MODULE_IDS,
    )
    .option(
      "--users <list>",
      `users who act, on the --base plan (${USER_KINDS.join(",")})`,
      listOption("--users", USER_KINDS),
      [...USER_KINDS],
    )
    .addOption(
      new Option("--base <plan>", "the plan of the module and user rows")
        .choices(PLAN_IDS)
        .default("professional"),
    )
    .option("--full", "every combination of plan × module set × user instead of the three rows")
    .option("--scenarios <names>", "only these scenarios (comma-separated names)", scenarioNames)
    .option(
      "--entry <file>",
      "the app's server entry (default: package.json b24kit.entry, else src/server.ts)",
    )
    .option("--scopes <list>", "the app's scopes (default: its manifest's)", scopeList("--scopes"))
    .option(
      "--ca-dir <dir>",
      "where the emulator's local CA is kept (default ~/.b24kit/ca)",
      folderToWrite("--ca-dir"),
    )
    .option("--concurrency <n>", "cells run at once", wholeNumber("--concurrency", 1, 16), 2)
    .option(
      "--timeout <seconds>",
      "how long a page or a bot may take to answer",
      wholeNumber("--timeout", 1, 600),
      30,
    )
    .option("--app-log", "show the app's own output on stderr")
    .action(async (opts: MatrixOptions) => {
      const appDir = resolve(opts.app);
      const cells = matrixCells({
        plans: opts.plans,
        modules: opts.modules,
        users: opts.users,
        base: opts.base,
        full: opts.full === true,
      });
      if (cells.length === 0)
        throw new Error("no cells: --plans, --modules and --users leave nothing to run");
      // The emulator's server and the app runtime load only now: a refused option is refused at once.
      const { runMatrix } = await import("./matrix/run-matrix.js");
      const report = await runMatrix({
        appDir,
        cells,
        out: resolve(opts.out ?? resolve(appDir, ".b24kit", "matrix.html")),
        ...(opts.json ? { json: resolve(opts.json) } : {}),
        ...(opts.entry ? { entry: opts.entry } : {}),
        ...(opts.scopes ? { scopes: opts.scopes } : {}),
        ...(opts.caDir ? { caDir: opts.caDir } : {}),
        ...(opts.scenarios ? { only: opts.scenarios } : {}),
        concurrency: opts.concurrency,
        timeoutMs: opts.timeout * 1000,
        ...(opts.appLog ? { appLog: true } : {}),
      });
      process.exit(report.cells.some((c) => c.verdict === "fails") ? 1 : 0);
    });
}
