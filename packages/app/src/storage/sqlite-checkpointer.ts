import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { SQLITE_DRIVER_MODULE } from "./sqlite-connection.js";

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs
 * inside whichever commit fills the WAL and syncs the database file there —
 * a pause of milliseconds on the thread that answers the portal. Here the
 * writing connection has auto-checkpointing off and a worker thread with a
 * connection of its own checkpoints the file once a second (PASSIVE: it never
 * waits for, or blocks, a writer). https://www.sqlite.org/wal.html#checkpointing
 */
const STOP_TIMEOUT_MS = 8000;

export function startCheckpointer(file: string, intervalMs = 1000): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve(SQLITE_DRIVER_MODULE);
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const Database = require(workerData.driver);
     const db = new Database(workerData.file, { timeout: 5000 });
     const timer = setInterval(() => {
       try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
     }, workerData.intervalMs);
     parentPort.on("message", () => {
       clearInterval(timer);
       try { db.pragma("wal_checkpoint(TRUNCATE)"); } catch {}
       db.close();
       process.exit(0);
     });`,
    { eval: true, workerData: { file, driver, intervalMs } },
  );
  worker.unref();
  worker.on("error", () => {});
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      // Unreferenced while it runs (it must not keep a process alive); referenced while it stops,
      // or a process with nothing else to do would exit before the stop is done. A final checkpoint
      // stuck behind another process's lock is given up after the busy timeout, in the worker. The
      // worker is never terminated from here: terminating a thread inside a libsql call aborts the
      // whole process (a panic in its native binding, seen here). Past the limit it is left
      // unreferenced to finish on its own; the WAL stays valid either way.
      worker.ref();
      worker.postMessage("stop");
      let limit: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise<void>((resolve) => (limit = setTimeout(resolve, STOP_TIMEOUT_MS))),
      ]);
      clearTimeout(limit);
      worker.unref();
    },
  };
}
