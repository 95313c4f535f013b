import type { Runtime } from "../core/runtime.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { ConsoleSessions } from "./console-session.js";
import type { LoginThrottle } from "./login-throttle.js";

/**
 * The audit log's key for what concerns the console itself rather than one portal (sign-ins,
 * refused sign-ins): `b24kit logs --member-id b24kit-console` reads them.
 */
export const CONSOLE_AUDIT_KEY = "b24kit-console";

/** What the console's routes share. */
export interface ConsoleDeps {
  rt: Runtime;
  queue: JobQueue | undefined;
  sessions: ConsoleSessions;
  throttle: LoginThrottle;
  /** The console's base path with its trailing slash (`/console/`). */
  base: string;
  /** How often snapshots are stored (the charts' finest resolution); 0 when the sampler is off. */
  sampleIntervalMs: number;
  /** A refused sign-in answers after this long (slows guessing). */
  failureDelayMs: number;
}
