import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, expect, it } from "vitest";
import { startApp } from "./app-harness.js";

// A bot declared in the manifest, end to end through the runtime: registered
// on install, its events acknowledged into the queue (without the bot's
// tokens), routed to the command and answered through imbot.message.add
// (docs/protocol.md §12.1–§12.3).
const emu = await testEmulator();
afterAll(() => emu.close());

it("a user writes /deal 42 and /help to the manifest's bot; the runtime answers both", async () => {
  const portal = await testPortal(emu);
  const h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: { version: "1", scopes: ["crm", "imbot"], bots: [{ code: "insights", name: "Insights" }] },
    queue: true,
    handlers: {
      bots: {
        insights: {
          commands: {
            help: () => "Commands: /deal ID",
            deal: (ctx) => `Deal ${ctx.args[0] ?? "?"} looks healthy`,
          },
        },
      },
    },
  });
  try {
    await control(emu).install(portal.memberId, h.clientId);
    await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.state === "active");
    const botId = JSON.parse((await h.store.tenant(portal.memberId).kv.get("b24kit:bots")) ?? "{}")
      .insights as number;
    expect(botId).toBeGreaterThan(0);

    const write = (message: string) =>
      control(emu).request("POST", `portals/${portal.memberId}/chat/messages`, {
        fromUserId: 1,
        dialogId: botId,
        message,
      });
    await write("/deal 42");
    await write("/help");
    const botLines = async () =>
      (
        await control(emu).request<{ messages: Array<{ authorId: number; text: string }> }>(
          "GET",
          `portals/${portal.memberId}/chat/${botId}/messages?userId=1`,
        )
      ).messages
        .filter((m) => m.authorId === botId)
        .map((m) => m.text);
    await waitFor(async () => (await botLines()).length >= 2, { timeoutMs: 20_000 });
    // Two jobs, possibly run side by side: the answers in either order.
    expect((await botLines()).sort()).toEqual(["Commands: /deal ID", "Deal 42 looks healthy"]);

    // The queue never held the bot's tokens: the event's auth and data[BOT] tokens were dropped.
    const { deliveries } = await control(emu).request<{ deliveries: Array<{ event: string; body: string }> }>(
      "GET",
      `portals/${portal.memberId}/deliveries?event=ONIMBOTMESSAGEADD`,
    );
    const tokens = deliveries.flatMap((d) =>
      [...new URLSearchParams(d.body).entries()]
        .filter(([key]) => /access_token|refresh_token|application_token/.test(key))
        .map(([, value]) => value),
    );
    expect(tokens.length).toBeGreaterThan(0);
    const { readFileSync } = await import("node:fs");
    const queueFile = readFileSync(h.dbFile.replace(/app\.db$/, "queue.db"));
    const wal = (() => {
      try {
        return readFileSync(h.dbFile.replace(/app\.db$/, "queue.db-wal"));
      } catch {
        return Buffer.alloc(0);
      }
    })();
    for (const token of tokens) {
      expect(queueFile.includes(token)).toBe(false);
      expect(wal.includes(token)).toBe(false);
    }
  } finally {
    await h.close();
  }
});
