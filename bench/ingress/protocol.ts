/** What a bench server process (app-process.ts) is told to be, as JSON in B24KIT_BENCH. */
export interface ProcessSettings {
  profile: "baseline" | "embedded" | "cluster";
  /** all: server and workers; web: server only (workers: 0); worker: workers only (app.work()). */
  role: "all" | "web" | "worker";
  port: number;
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  oauthServer: string;
  encryptionKey: string;
  sessionSecret: string;
  /** Embedded: the folder of app.db and queue.db. */
  dir?: string;
  /** Cluster: PostgreSQL schema and Redis key prefix of this run. */
  pgUrl?: string;
  schema?: string;
  redisUrl?: string;
  prefix?: string;
  /** Worker concurrency (default 4). */
  workers?: number;
  /** What each handler run waits, in ms (0: a no-op handler). */
  workMs?: number;
  /** Portals whose handler runs are reported one by one (the others are counted). */
  watch?: string[];
}

/** Parent → server process (IPC). */
export type ParentMessage =
  | { type: "flood"; memberId: string; count: number; firstId: number }
  /** Asks for the process's CPU time so far (answered with "cpu"). */
  | { type: "cpu" };

/** Server process → parent (IPC). */
export type ChildMessage =
  /** A watched portal's event ran: receipt (the job's receivedAt) → end of its handler. */
  | { type: "ran"; memberId: string; dealId: number; latencyMs: number }
  /** Handler runs so far, per portal (sent when they changed, at most every 50 ms). */
  | { type: "counts"; counts: Record<string, number> }
  /** The flood is in the queue. */
  | { type: "flooded"; count: number; ms: number }
  /** process.cpuUsage(): user and system µs since the process started. */
  | { type: "cpu"; userUs: number; systemUs: number };
