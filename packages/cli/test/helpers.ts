import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The committed bin, run exactly as `npx b24kit` runs it. */
export const bin = fileURLToPath(new URL("../bin/b24kit.js", import.meta.url));

/** The first line a child prints on stdout (its ready line); rejects if it exits first. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before the ready line`)));
  });
}
