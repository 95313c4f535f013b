import { randomBytes } from "node:crypto";
import { AppError, type AppStore, type CreateAppOptions, createApp } from "@b24kit/app";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempFolder } from "./storage-helpers.js";

// createApp checks its options besides config and manifest where they come in (issue 16): a wrong
// value is refused with an error naming the option and what it takes, before the schema is
// migrated or a worker starts, instead of failing later (workers: NaN starting none, a 5 ms drain
// interval hammering the portal, a store without migrate failing the first request).
const folder = tempFolder("create-app-options");
let store: AppStore;
beforeAll(() => {
  store = sqliteStore({ file: folder.file() }); // not migrated: a refused createApp must leave it so
});
afterAll(async () => {
  await store.close();
  folder.remove();
});

const config = {
  publicUrl: "https://app.example/",
  clientId: "app.test",
  clientSecret: "secret",
  encryptionKeys: { k1: randomBytes(32).toString("base64") },
  encryptionKeyId: "k1",
  sessionSecret: randomBytes(32).toString("hex"),
};
const manifest = { version: "1", scopes: ["crm"] };

/** The error createApp throws for these options (wrong on purpose, hence the cast). */
function refusal(more: Record<string, unknown>, base: Record<string, unknown> = { manifest, config, store }) {
  try {
    createApp({ ...base, ...more } as unknown as CreateAppOptions);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`accepted ${Object.keys(more).join(", ")}`);
}

describe("createApp refuses options it cannot use", () => {
  it.for<[string, Record<string, unknown>, string]>([
    [
      "workers that are no number",
      { workers: Number.NaN },
      "workers must be a whole number from 0 (none in this process) to 1000, got null",
    ],
    ["workers below none", { workers: -1 }, "workers must be a whole number from 0"],
    [
      "a drain interval that would hammer the portal",
      { offlineDrainIntervalMs: 5 },
      "offlineDrainIntervalMs must be 0 (drain on the portal's nudge only) or at least 1000 ms, got 5",
    ],
    [
      "a limit wait in words",
      { maxLimitWaitMs: "2s" },
      'maxLimitWaitMs must be milliseconds from 0, got "2s"',
    ],
    [
      "an auth connector with spaces",
      { authConnector: "my app" },
      'authConnector must be 1–64 letters, digits, _ . or -, got "my app"',
    ],
    [
      "a store that is no store",
      { store: {} },
      "store must be an AppStore (sqliteStore({file}) or postgresStore({url})), got {}",
    ],
    [
      "a queue that is no queue",
      { queue: "sqlite" },
      'queue must be a job queue (sqliteJobQueue({file}) or bullmqJobQueue({…})), got "sqlite"',
    ],
    ["handlers that are no functions", { api: { summary: "summary.ts" } }, "api must be handlers by name"],
    ["a page that is no handler", { page: "<h1>hi</h1>" }, "page must be a frame handler"],
    [
      "a field type without view",
      { fieldTypes: { health: { edit: () => "" } } },
      "fieldTypes must be handlers by field type code: {deal_health: {view: (ctx) => …, edit?: (ctx) => …}}",
    ],
    ["a clock without now", { clock: Date }, "clock must be a clock with now() in unix ms"],
    [
      "a misspelt console option",
      { console: { operator: [] } },
      "unknown option console.operator (console must be {operators?: [{name, passwordHash}], failureDelayMs?})",
    ],
    ["a flag that is no boolean", { migrate: "no" }, 'migrate must be true or false, got "no"'],
    ["a misspelt option", { worker: 0 }, "unknown option worker (known: manifest, config, store, page,"],
  ])("%s", ([, more, message]) => {
    const error = refusal(more);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("APP_OPTIONS_INVALID");
    expect(error.message).toContain(`createApp: ${message}`);
    expect(error.message).not.toContain("\n");
  });

  it("names a missing store, and every problem at once", () => {
    const error = refusal({ workers: 1.5 }, { manifest, config });
    expect(error.message).toMatch(/^createApp: store is required: an AppStore .*; workers must be /);
  });

  it("refuses a field type handler whose type the manifest does not declare", () => {
    const withType = {
      version: "1",
      scopes: ["placement"],
      fieldTypes: [{ code: "health", title: "Health" }],
    };
    expect(() =>
      createApp({ manifest: withType, config, store, fieldTypes: { risk: { view: () => "" } } }),
    ).toThrow("Field type handler risk has no field type in the manifest");
  });

  it("starts nothing when it refuses: the store is left unmigrated", async () => {
    refusal({ offlineDrainIntervalMs: -1 });
    const applied = await store.migrate();
    expect(applied.length).toBeGreaterThan(0); // createApp never got to migrate it
  });
});

describe("createApp takes what it can use", () => {
  it("good options, undefined ones as absent", async () => {
    const queue = sqliteJobQueue({ file: folder.file() });
    const app = createApp({
      manifest,
      config,
      store,
      queue,
      workers: 0,
      offlineDrainIntervalMs: 0,
      maxLimitWaitMs: 2000,
      authConnector: "my-app",
      logger: undefined,
    });
    try {
      await app.ready();
      expect((await app.request("/healthz")).status).toBe(200);
    } finally {
      await app.close();
      await queue.close();
    }
  });
});
