import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqliteJobQueue } from "@b24kit/app/sqlite";
import { describeJobQueue } from "@b24kit/app/testing";
import { afterAll, describe, it } from "vitest";

// The embedded queue passes the same suite as the cluster one (queue-bullmq.test.ts).
const dir = mkdtempSync(join(tmpdir(), "b24kit-queue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeJobQueue(
  "SQLite (embedded)",
  async (policy) => {
    const file = join(dir, `queue-${++files}.db`);
    const open = () => sqliteJobQueue({ file, policy });
    // A second queue on the same file is the process after a restart: it takes back the jobs left running.
    return { queue: open(), reopen: async () => open() };
  },
  { describe, it },
);
