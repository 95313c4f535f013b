import { randomBytes } from "node:crypto";
import { createApp } from "@b24kit/app";
import { describe, expect, it } from "vitest";
import { useTempSqliteStore } from "./temp-store.js";

// Event handlers are checked against the manifest when the app is created, not when
// the first event arrives in production.
const temp = useTempSqliteStore("events-config");
const config = {
  appName: "Config test",
  publicUrl: "https://app.example/",
  clientId: "app.test",
  clientSecret: "secret",
  encryptionKeys: { k1: randomBytes(32).toString("base64") },
  encryptionKeyId: "k1",
  sessionSecret: randomBytes(32).toString("hex"),
};

describe("createApp with event handlers", () => {
  it("refuses a handler for an event the manifest does not bind", () => {
    expect(() =>
      createApp({
        manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
        config,
        store: temp.store,
        events: { ONCRMLEADADD: () => {} },
      }),
    ).toThrow("Event handler ONCRMLEADADD has no event in the manifest");
  });

  it("refuses handlers without a queue, naming the two queues", () => {
    expect(() =>
      createApp({
        manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
        config,
        store: temp.store,
        events: { ONCRMDEALADD: () => {} },
      }),
    ).toThrow(/no queue: pass `queue` \(sqliteJobQueue .* bullmqJobQueue/);
  });
});
