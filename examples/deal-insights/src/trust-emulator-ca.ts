import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { ensureLocalCa } from "@b24kit/emulator";

/**
 * The app calls the emulator over HTTPS (its OAuth server, the portal's REST),
 * and Node reads extra trusted CAs only at start (NODE_EXTRA_CA_CERTS). So the
 * start script makes sure the emulator's CA exists and, unless this process
 * already trusts it, runs itself again with it trusted — what a user does by
 * hand for their own scripts. Resolves true when this process may go on.
 */
export function runTrustingEmulatorCa(script: string): boolean {
  const caFile = ensureLocalCa(join(process.env.B24KIT_HOME ?? join(homedir(), ".b24kit"), "ca")).caFile;
  if (process.env.NODE_EXTRA_CA_CERTS === caFile) return true;
  const child = spawn(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}
