import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { verifyOperatorPassword } from "@b24kit/app";
import {
  control,
  handlerServer,
  installApp,
  testEmulator,
  testPortal,
  waitFor,
} from "@b24kit/emulator/testing";
import { createB24Client, MemoryTokenStore, oauthAuth, tokensFromAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { onBotEvent } from "./readme-examples/bots.js";

// The README's smaller examples (test/readme-examples/), run against the emulator.
const emu = await testEmulator();
afterAll(() => emu.close());

describe("README examples", () => {
  it("readme-examples/operator-hash.sh: a hash the console accepts for that password only", async () => {
    const command = readFileSync(new URL("./readme-examples/operator-hash.sh", import.meta.url), "utf8");
    const { stdout } = await promisify(execFile)("bash", ["-e", "-c", command]);
    const hash = stdout.trim();
    expect(hash).toMatch(/^scrypt\.16384\.8\.1\.[\w-]+\.[\w-]+$/);
    expect(await verifyOperatorPassword(hash, "the password")).toBe(true);
    expect(await verifyOperatorPassword(hash, "another password")).toBe(false);
  });

  it("readme-examples/bots.ts: greets, answers /help, /deal (with a keyboard) and plain text in the chat", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["imbot", "crm"] });
    const client = createB24Client({
      auth: oauthAuth({
        memberId: portal.memberId,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        store: new MemoryTokenStore(tokensFromAuth(app.auth)),
      }),
    });
    // Every bot event goes through the README's dispatcher as it arrives.
    const outcomes: string[] = [];
    const handler = await handlerServer({
      answer: (r) => {
        void onBotEvent(r.body as { event: string; data: unknown }, client, portal.memberId).then((o) =>
          outcomes.push(`${r.body.event}:${o}`),
        );
        return { status: 200 };
      },
    });
    try {
      const botId = (
        await client.call<number>("imbot.register", {
          CODE: "insights",
          EVENT_HANDLER: handler.url,
          PROPERTIES: { NAME: "Insights" },
        })
      ).result;
      const dealId = (await client.call<number>("crm.deal.add", { fields: { TITLE: "Big deal" } })).result;
      const dialog = async (count: number) => {
        const { messages } = await control(emu).request<{
          messages: Array<{ authorId: number; text: string; params: Record<string, unknown> }>;
        }>("GET", `portals/${portal.memberId}/chat/${botId}/messages?userId=1`);
        return messages.length >= count ? messages : undefined;
      };
      const say = (message: string) =>
        control(emu).request("POST", `portals/${portal.memberId}/chat/messages`, {
          fromUserId: 1,
          dialogId: String(botId),
          message,
        });
      await say("/help");
      await waitFor(() => dialog(3)); // /help, the greeting on joining, the answer
      await say(`/deal ${dealId}`);
      await waitFor(() => dialog(5));
      await say("hi there");
      const messages = (await waitFor(() => dialog(7)))!;
      const fromBot = messages.filter((m) => m.authorId === botId).map((m) => m.text);
      // The greeting and the answer to /help are handled side by side: either may be written first.
      expect(fromBot.slice(0, 2).sort()).toEqual(["Hello, Admin", "Try /deal 42"]);
      expect(fromBot.slice(2)).toEqual(["Deal: Big deal", "You said: hi there"]);
      const dealReply = messages.find((m) => m.text === "Deal: Big deal")!;
      expect(JSON.stringify(dealReply.params)).toContain(`/crm/deal/details/${dealId}/`);
      expect(outcomes).toContain("ONIMBOTMESSAGEADD:handled");
    } finally {
      await handler.close();
    }
  });
});
