import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../emulator.js";
import { ensureLocalCa } from "../tls/local-ca.js";

/** Where the test CA lives unless B24KIT_TEST_CA_DIR says otherwise. */
function caDir(): string {
  return process.env.B24KIT_TEST_CA_DIR ?? join(tmpdir(), "b24kit-test-ca");
}

/**
 * For a test runner's global setup (vitest `globalSetup`, run before the test
 * workers start): makes sure the test CA exists and sets NODE_EXTRA_CA_CERTS,
 * which Node reads only when a process starts, so every worker's `fetch` (and
 * the official SDK) trusts the emulator's HTTPS certificates.
 */
export function trustEmulatorCa(dir = caDir()): { caFile: string; caDir: string } {
  const ca = ensureLocalCa(dir);
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  process.env.B24KIT_TEST_CA_DIR = dir;
  return { caFile: ca.caFile, caDir: dir };
}

/** An emulator for one test file: a free port, the test CA. Close it in `afterAll`. */
export function testEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, caDir: caDir(), ...options });
}
