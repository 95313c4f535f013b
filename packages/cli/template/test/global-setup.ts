import { trustEmulatorCa } from "@b24kit/emulator/testing";

// Runs once before the test workers start: creates the emulator's test CA and sets
// NODE_EXTRA_CA_CERTS, so every fetch in the tests trusts the emulator's HTTPS.
export default function setup(): void {
  trustEmulatorCa();
}
