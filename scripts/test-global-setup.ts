import { join } from "node:path";
// The emulator's testing kit, from source: global setup runs before any build exists.
import { trustEmulatorCa } from "../packages/emulator/src/testing.js";
import { dropRunSchemas, testSchemaPrefix } from "./test-pg-schemas.js";

// Runs once in the main vitest process, before the test workers are forked. Workers inherit the
// environment, and Node reads NODE_EXTRA_CA_CERTS at start, so every client in a test (fetch, axios
// in the official SDK) trusts the emulator's HTTPS certificates.
// The run's PostgreSQL schema prefix goes to the workers the same way; its schemas are dropped
// once every file is done (scripts/test-pg-schemas.ts says why not earlier).
export default function setup(): () => Promise<void> {
  trustEmulatorCa(join(import.meta.dirname, "..", ".test-output", "ca"));
  testSchemaPrefix();
  return dropRunSchemas;
}
