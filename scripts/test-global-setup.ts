import { join } from "node:path";
// The emulator package's public entry, from source: global setup runs before any build exists.
import { ensureLocalCa } from "../packages/emulator/src/index.js";

// Runs once in the main vitest process, before the test workers are forked.
// Workers inherit the environment, and Node reads NODE_EXTRA_CA_CERTS at start,
// so every client in a test (fetch, axios in the official SDK, Chromium via
// its own flag) can trust the emulator's HTTPS certificates.
export default function setup(): void {
  const dir = join(import.meta.dirname, "..", ".test-output", "ca");
  const ca = ensureLocalCa(dir);
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  process.env.B24KIT_TEST_CA_DIR = dir;
}
