import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  type InstalledApp,
  installApp,
  launchBrowser,
  testEmulator,
} from "@b24kit/emulator/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCall, call } from "./helpers.js";

// The portal's chat page in Chromium with a Chatbots 2.0 bot beside a classic one: the
// person writes to the v2 bot, its webhook handler answers with imbot.v2.Chat.Message.send,
// and the answer shows in the open dialog.

describe("chat page with a Chatbots 2.0 bot in Chromium", () => {
  let emu: EmulatorHandle;
  let browser: Browser;
  let context: BrowserContext;
  let app: InstalledApp;
  let bot: HandlerServer;

  beforeAll(async () => {
    emu = await testEmulator();
    const memberId = emu.portals[0]!.memberId as string;
    app = await installApp(emu, memberId, { scopes: ["imbot", "im"] });
    // The v2 bot's handler: answers ONIMBOTV2MESSAGEADD with the bot's own token, as the docs' example does.
    bot = await handlerServer({
      answer: (r) => {
        if (r.body.event === "ONIMBOTV2MESSAGEADD") {
          const { bot: b, chat, message } = r.body.data;
          void call(b.auth.client_endpoint, "imbot.v2.Chat.Message.send", {
            auth: b.auth.access_token,
            botId: Number(b.id),
            dialogId: chat.dialogId,
            fields: { message: `Received: [B]${message.text}[/B]` },
          });
        }
        return { status: 200 };
      },
    });
    await appCall(app.auth.client_endpoint, app.auth.access_token, "imbot.register", {
      CODE: "classic_helper",
      EVENT_HANDLER: `${bot.url}classic`,
      PROPERTIES: { NAME: "Classic", LAST_NAME: "Helper" },
    });
    ({ browser, context } = await launchBrowser());
  });
  afterAll(async () => {
    await control(emu).eventsIdle();
    await browser?.close();
    await bot?.close();
    await emu?.close();
  });

  it("lists the v2 bot with a badge beside the classic one; the bot's answer shows in the dialog", async () => {
    const registered = await appCall(
      app.auth.client_endpoint,
      app.auth.access_token,
      "imbot.v2.Bot.register",
      {
        fields: {
          code: "support_v2",
          properties: { name: "Support", lastName: "Agent" },
          eventMode: "webhook",
          webhookUrl: `${bot.url}v2`,
        },
      },
    );
    const botId = registered.body.result.bot.id as number;

    const page = await context.newPage();
    await page.goto(`${emu.url}online/`);
    const v2Entry = page.locator(".b24-chat__entry", { hasText: "Support Agent" });
    await expect.poll(() => v2Entry.locator(".b24-badge--v2").textContent()).toBe("v2");
    await expect
      .poll(() => page.locator(".b24-chat__entry", { hasText: "Classic Helper" }).count())
      .toBeGreaterThan(0);
    expect(
      await page.locator(".b24-chat__entry", { hasText: "Classic Helper" }).locator(".b24-badge--v2").count(),
    ).toBe(0);

    await v2Entry.first().click();
    await page.waitForURL(`**/online/?dialog=${botId}`);
    await page.fill(".b24-chat__input", "Where is my order?");
    await Promise.all([
      page.waitForURL(`**/online/?dialog=${botId}`),
      page.click(".b24-chat__composer button"),
    ]);
    await page.locator(".b24-msg--mine").getByText("Where is my order?").waitFor();
    // The answer arrives asynchronously; the page picks it up without a reload.
    await page.locator(".b24-msg").getByText("Received:").waitFor({ timeout: 15_000 });
    expect(await page.locator(".b24-msg:not(.b24-msg--mine) b").last().textContent()).toBe(
      "Where is my order?",
    );
    expect(bot.of("ONIMBOTV2MESSAGEADD")).toHaveLength(1);
    expect(bot.of("ONIMBOTMESSAGEADD")).toHaveLength(0);
    await page.close();
  });
});
