import { readFileSync } from "node:fs";
import { startEmulator } from "@b24kit/emulator";
import type { Command } from "commander";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0..65535, got "${value}"`);
  return n;
}

/** `b24kit emulator`: a local Bitrix24 portal; prints one JSON ready line (contracts.md) once it accepts requests. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("start a local Bitrix24 portal emulator (HTTPS with a local CA unless --http)")
    .option(
      "--port <n>",
      "main port (0 picks a free one)",
      port,
      Number(process.env.B24KIT_EMULATOR_PORT ?? 8480),
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--state <file>", "keep state in this SQLite file across restarts")
    .option("--http", "serve plain HTTP instead of HTTPS")
    .option("--ca-dir <dir>", "where the local CA is kept (default ~/.b24kit/ca)")
    .option("--plan <plan>", "plan of the default portal", "professional")
    .option("--require-https", "handler and placement URLs must be https (no plain-http loopback handlers)")
    .option("--handler-ca <file>", "PEM CA bundle to trust for https handlers (with --require-https)")
    .option(
      "--strict-events",
      "slow or failing event handlers fail in 5 s and lose their binding (not how a portal behaves)",
    )
    .action(
      async (opts: {
        port: number;
        host: string;
        state?: string;
        http?: boolean;
        caDir?: string;
        plan: string;
        requireHttps?: boolean;
        handlerCa?: string;
        strictEvents?: boolean;
      }) => {
        const emulator = await startEmulator({
          port: opts.port,
          host: opts.host,
          http: Boolean(opts.http),
          ...(opts.state ? { stateFile: opts.state } : {}),
          ...(opts.caDir ? { caDir: opts.caDir } : {}),
          plan: opts.plan as "professional",
          ...(opts.requireHttps ? { requireHttpsHandlers: true } : {}),
          ...(opts.handlerCa ? { handlerCaBundle: readFileSync(opts.handlerCa, "utf8") } : {}),
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
