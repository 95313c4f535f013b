import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { PLANS, type PlanId, startEmulator } from "@b24kit/emulator";
import { type Command, InvalidArgumentError, Option } from "commander";
import { fromEnv } from "../options/env-values.js";
import { portNumber } from "../options/number-values.js";
import { fileToWrite, folderToWrite } from "../options/path-values.js";

/** The default port: B24KIT_EMULATOR_PORT when set, checked here so a typo is not Node's "NaN" later. */
function defaultPort(): number {
  return fromEnv(process.env, "B24KIT_EMULATOR_PORT", portNumber) ?? 8480;
}

/** An IP address, or a host name of letters, digits, dots and dashes (what a certificate can name). */
function hostName(value: string): string {
  const name = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  const looksNumeric = /^[\d.]+$/.test(value); // 256.1.1.1 is no name, and no address either
  if (isIP(value) === 0 && (looksNumeric || !name.test(value)))
    throw new InvalidArgumentError(
      `--host must be an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name, got "${value}"`,
    );
  return value;
}

/** A PEM bundle of certificates; anything else would be trusted silently and trust nothing. */
function pemBundle(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InvalidArgumentError(`--handler-ca: cannot read ${file} (${(error as Error).message})`);
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text))
    throw new InvalidArgumentError(
      `--handler-ca: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  return text;
}

/** `b24kit emulator`: a local Bitrix24 portal; prints one JSON ready line (contracts.md) once it accepts requests. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("start a local Bitrix24 portal emulator (HTTPS with a local CA unless --http)")
    .option(
      "--port <n>",
      "main port (0 picks a free one; default $B24KIT_EMULATOR_PORT or 8480)",
      portNumber("--port"),
    )
    .option("--host <host>", "address to listen on", hostName, "127.0.0.1")
    .option("--state <file>", "keep state in this SQLite file across restarts", fileToWrite("--state"))
    .option("--http", "serve plain HTTP instead of HTTPS")
    .option("--ca-dir <dir>", "where the local CA is kept (default ~/.b24kit/ca)", folderToWrite("--ca-dir"))
    .addOption(
      new Option("--plan <plan>", "plan of the default portal")
        .choices(Object.keys(PLANS))
        .default("professional"),
    )
    .option("--require-https", "handler and placement URLs must be https (no plain-http loopback handlers)")
    .option(
      "--handler-ca <file>",
      "PEM CA bundle to trust for https handlers (with --require-https)",
      pemBundle,
    )
    .option(
      "--strict-events",
      "slow or failing event handlers fail in 5 s and lose their binding (not how a portal behaves)",
    )
    .action(
      async (opts: {
        port?: number;
        host: string;
        state?: string;
        http?: boolean;
        caDir?: string;
        plan: PlanId;
        requireHttps?: boolean;
        handlerCa?: string;
        strictEvents?: boolean;
      }) => {
        const emulator = await startEmulator({
          port: opts.port ?? defaultPort(),
          host: opts.host,
          http: Boolean(opts.http),
          ...(opts.state ? { stateFile: opts.state } : {}),
          ...(opts.caDir ? { caDir: opts.caDir } : {}),
          plan: opts.plan,
          ...(opts.requireHttps ? { requireHttpsHandlers: true } : {}),
          ...(opts.handlerCa ? { handlerCaBundle: opts.handlerCa } : {}),
          ...(opts.strictEvents ? { strictEventDelivery: true } : {}),
        });
        process.stdout.write(`${emulator.readyLine()}\n`);
        const stop = async () => {
          await emulator.close();
          process.exit(0);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      },
    );
}
