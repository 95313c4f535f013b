import type { AppStore } from "@b24kit/app";
import { type B24Client, createB24Client, type FetchLike } from "@b24kit/rest";
import type { Command } from "commander";
import { memberIdValue } from "../options/member-id.js";
import { seconds, wholeNumber } from "../options/number-values.js";
import { refuseWithout } from "../options/option-dependencies.js";
import { CertificateError, certificateCode, describeFailure } from "./call/call-errors.js";
import { type Params, ParamsError, parseParams } from "./call/call-params.js";
import { type CallTarget, openTarget, TargetError } from "./call/call-target.js";
import { ExportProgress, type ProgressSink } from "./call/export-progress.js";
import { exportRows, fileSink, type RowSink, stdoutSink } from "./call/export-rows.js";

interface CallOptions {
  webhook?: string;
  memberId?: string;
  database?: string;
  all?: boolean;
  out?: string;
  parallel: number;
  envelope?: boolean;
  quiet?: boolean;
  progressEvery: number;
}

/** What the command needs from outside; tests and embedders pass their own. */
export interface CallCommandDeps {
  out?: NodeJS.WritableStream;
  err?: ProgressSink;
  env?: NodeJS.ProcessEnv;
  fetch?: FetchLike;
  openStore?: (url: string) => Promise<AppStore>;
}

const METHOD = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/i;

/**
 * `b24kit call METHOD [params...]`: one REST call, its result pretty-printed;
 * with `--all` every row of a list method as JSON lines, with progress on
 * stderr. As an incoming webhook or as the installed app on one portal.
 */
export function registerCallCommand(program: Command, deps: CallCommandDeps = {}): void {
  program
    .command("call")
    .description("call a REST method once, or export every row of a list method (--all)")
    .argument("<method>", "the REST method, e.g. crm.deal.get")
    .argument(
      "[params...]",
      "a JSON object, key=value (bracket keys: filter[STAGE_ID]=WON select[]=ID) or key:=json",
    )
    .option(
      "--webhook <url>",
      "an incoming webhook https://portal/rest/1/CODE/ (default: $B24KIT_WEBHOOK_URL)",
    )
    .option(
      "--member-id <id>",
      "call as the installed app on this portal (its token store and keys)",
      memberIdValue("--member-id"),
    )
    .option("--database <url>", "the app's database for --member-id (default: $B24KIT_DATABASE_URL)")
    .option("--all", "every row of a list method, one JSON object per line")
    .option("--out <file>", "with --all: write the rows to this file (default: stdout)")
    .option(
      "--parallel <n>",
      "with --all: read n ID ranges at once (1..8)",
      wholeNumber("--parallel", 1, 8),
      1,
    )
    .option("--envelope", "print the whole answer (result, total, next, time), not only result")
    .option("--quiet", "with --all: no progress on stderr (and no extra request for the total)")
    .option(
      "--progress-every <seconds>",
      "with --all, when stderr is not a terminal: a progress line this often",
      seconds("--progress-every", 0, 3600),
      5,
    )
    .action(async (method: string, args: string[], opts: CallOptions, command: Command) => {
      // Flags that only mean something with another one are refused without it, not ignored.
      refuseWithout(command, ["out", "parallel", "quiet", "progressEvery"], "all");
      refuseWithout(command, ["database"], "memberId");
      await runCall(method, args, opts, deps);
    });
}

async function runCall(
  method: string,
  args: string[],
  opts: CallOptions,
  deps: CallCommandDeps,
): Promise<void> {
  const out = deps.out ?? process.stdout;
  const err = deps.err ?? process.stderr;
  const env = deps.env ?? process.env;
  if (!METHOD.test(method))
    throw new Error(`not a REST method name: ${JSON.stringify(method)} (e.g. crm.deal.list)`);
  if (opts.envelope && opts.all) throw new Error("--envelope prints one answer; --all prints rows");
  let params: Params;
  try {
    params = parseParams(args);
  } catch (error) {
    if (error instanceof ParamsError) throw new Error(error.message);
    throw error;
  }

  // A certificate failure will not fix itself: end the call at once instead of retrying it.
  const controller = new AbortController();
  const baseFetch: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));
  const guardedFetch: FetchLike = async (input, init) => {
    try {
      return await baseFetch(input, init);
    } catch (error) {
      const code = certificateCode(error);
      if (code) controller.abort(new CertificateError(code, new URL(input).origin));
      throw error;
    }
  };

  let target: CallTarget;
  try {
    target = await openTarget(opts, env, deps.openStore, guardedFetch);
  } catch (error) {
    if (error instanceof TargetError) throw new Error(error.message);
    throw error;
  }
  const client = createB24Client({ auth: target.auth, fetch: guardedFetch });
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  try {
    if (opts.all) await exportAll(client, method, params, opts, target, controller.signal, out, err);
    else await callOnce(client, method, params, opts, target, controller.signal, out);
  } finally {
    process.off("SIGINT", stop);
    await target.close();
  }
}

async function callOnce(
  client: B24Client,
  method: string,
  params: Params,
  opts: CallOptions,
  target: CallTarget,
  signal: AbortSignal,
  out: NodeJS.WritableStream,
): Promise<void> {
  let answer: Awaited<ReturnType<B24Client["call"]>>;
  try {
    answer = await client.call(method, params, { signal });
  } catch (error) {
    throw new Error(describeFailure(error, target.secrets));
  }
  const shown = opts.envelope ? answer : answer.result;
  out.write(`${JSON.stringify(shown ?? null, null, 2)}\n`);
}

async function exportAll(
  client: B24Client,
  method: string,
  params: Params,
  opts: CallOptions,
  target: CallTarget,
  signal: AbortSignal,
  out: NodeJS.WritableStream,
  err: ProgressSink,
): Promise<void> {
  const progress = new ExportProgress(err, {
    mode: opts.quiet ? "off" : err.isTTY ? "bar" : "lines",
    everyMs: opts.progressEvery * 1000,
  });
  let sink: RowSink;
  try {
    sink = opts.out !== undefined ? await fileSink(opts.out) : stdoutSink(out);
  } catch (error) {
    throw new Error(`cannot write ${opts.out}: ${(error as Error).message}`);
  }
  const where = opts.out ?? "stdout";
  let failure: unknown;
  let pager = "";
  try {
    ({ pager } = await exportRows(
      client,
      { method, params, parallel: opts.parallel, countFirst: !opts.quiet, signal },
      sink,
      progress,
    ));
  } catch (error) {
    failure = error;
  }
  progress.finish();
  await sink.close().catch((error: unknown) => {
    failure ??= error;
  });
  if (failure !== undefined) {
    const rows = progress.rows;
    throw new Error(
      `${method} --all failed after ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}` +
        ` (${rows > 0 ? `kept in ${where}` : "nothing written"}): ${describeFailure(failure, target.secrets)}`,
    );
  }
  if (!opts.quiet) err.write(`${method}: ${progress.summary()} via ${pager}, to ${where}\n`);
}
