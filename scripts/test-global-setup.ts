import { join } from "node:path";
// The emulator's testing kit, from source: global setup runs before any build exists.
import { trustEmulatorCa } from "../packages/emulator/src/testing.js";

// Runs once in the main vitest process, before the test workers are forked. Workers inherit the
// environment, and Node reads NODE_EXTRA_CA_CERTS at start, so every client in a test (fetch, axios
// in the official SDK) trusts the emulator's HTTPS certificates.
export default function setup(): void {
  trustEmulatorCa(join(import.meta.dirname, "..", ".test-output", "ca"));
}
