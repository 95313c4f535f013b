#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { runTrustingEmulatorCa } from "../dist/trust-emulator-ca.js";

if (runTrustingEmulatorCa(fileURLToPath(import.meta.url))) await import("../dist/start.js");
