import { randomBytes } from "node:crypto";
import { createApp } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { postgresStore } from "@b24kit/app/postgres";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testSchemaName } from "../../../scripts/test-pg-schemas.js";
import { freePort } from "./app-harness.js";
import { runStormWorker } from "./fixtures/run-storm-worker.js";

const pgUrl = process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = testSchemaName("storm"); // dropped with the run's (scripts/test-pg-schemas.ts)
const emu = await testEmulator();
const admin = new pg.Pool({ connectionString: pgUrl, max: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
afterAll(async () => {
  await admin.end();
  await emu.close();
});

describe("cluster profile: token refresh under load (PostgreSQL store, Redis lock)", () => {
  it("an expired token under 99 concurrent calls in 3 processes ends in exactly one refresh", {
    timeout: 60_000,
  }, async () => {
    const portal = await testPortal(emu);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}/`;
    const manifest = { version: "1", scopes: ["user"] };
    const registered = await control(emu).registerApp({
      scopes: ["user"],
      local: false,
      installHandlerUrl: `${publicUrl}b24/install`,
    });
    const config = {
      publicUrl,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      oauthServer: emu.authUrl,
      encryptionKeys: { k1: randomBytes(32).toString("base64") },
      encryptionKeyId: "k1",
      sessionSecret: randomBytes(32).toString("hex"),
    };
    const store = postgresStore({ url: pgUrl, schema });
    await store.migrate();
    const app = createApp({ manifest, config, store });
    const server = await serve(app, { port });
    try {
      await control(emu).install(portal.memberId, registered.clientId);
      await waitFor(async () => (await app.tenants.get(portal.memberId))?.state === "active");
      const before = (await store.tenant(portal.memberId).tokens.load())?.version ?? 0;
      // The portal now refuses the stored access token as expired; every process finds out at once.
      await control(emu).advanceClock(3700);
      const stats = () => control(emu).request<{ byGrant: Record<string, number> }>("GET", "oauth/stats");
      const refreshesBefore = (await stats()).byGrant.refresh_token ?? 0;
      const job = {
        pgUrl,
        schema,
        redisUrl,
        config,
        manifest,
        memberId: portal.memberId,
        calls: 33,
        goAt: Date.now() + 3000,
      };
      const results = await Promise.all([runStormWorker(job), runStormWorker(job), runStormWorker(job)]);
      expect(results.flatMap((r) => r.failed)).toEqual([]);
      expect(results.reduce((n, r) => n + r.ok, 0)).toBe(99);
      expect(((await stats()).byGrant.refresh_token ?? 0) - refreshesBefore).toBe(1);
      expect((await store.tenant(portal.memberId).tokens.load())?.version).toBe(before + 1);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
