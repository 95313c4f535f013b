import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const start = fileURLToPath(new URL("../bin/start.js", import.meta.url));

/** `npm start`'s own script on free ports; resolves with its process and the parsed ready line. */
export async function startReferenceApp(): Promise<{ child: ChildProcess; ready: Record<string, any> }> {
  const child = spawn(process.execPath, [start], {
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      PORT: "0",
      B24KIT_EMULATOR_PORT: "0",
      B24KIT_HOME: `${process.env.B24KIT_TEST_CA_DIR}/..`,
    },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) };
}
