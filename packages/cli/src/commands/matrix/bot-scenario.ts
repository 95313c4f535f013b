import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorHandle } from "@b24kit/emulator";
import { controlTry } from "./cell-portal.js";
import type { FrameOutcome } from "./frame-scenario.js";
import type { BotScenario } from "./scenarios.js";

interface ChatMessage {
  id: number;
  authorId: number;
  text: string;
}

async function dialog(emulator: EmulatorHandle, memberId: string, botId: number, userId: number) {
  const res = await controlTry<{ messages?: ChatMessage[] }>(
    emulator,
    "GET",
    `portals/${memberId}/chat/${botId}/messages?userId=${userId}`,
  );
  return res.status < 400 ? (res.body.messages ?? []) : [];
}

/** Waits until the bot has written a message that is not in `seen`; resolves it, or undefined at the deadline. */
async function botReply(
  emulator: EmulatorHandle,
  at: { memberId: string; botId: number; userId: number },
  seen: Set<number>,
  deadline: number,
): Promise<ChatMessage | undefined> {
  while (Date.now() < deadline) {
    await emulator.control("POST", "events/idle", {});
    const reply = (await dialog(emulator, at.memberId, at.botId, at.userId)).find(
      (m) => m.authorId === at.botId && !seen.has(m.id),
    );
    if (reply) return reply;
    await sleep(150);
  }
  return undefined;
}

/**
 * The cell's user opens a dialog with the app's bot and writes to it (control API `chat/join`, then
 * `chat/messages`); the bot's reply is awaited in the dialog. A bot the portal does not have (the
 * messenger is off, the plan refused `imbot.register`) is skipped; no reply is a failure.
 */
export async function runBotScenario(
  emulator: EmulatorHandle,
  target: { memberId: string; clientId: string; userId: number },
  scenario: BotScenario,
  timeoutMs: number,
): Promise<FrameOutcome> {
  const { memberId, clientId, userId } = target;
  const bots = await controlTry<{ bots?: Array<{ id: number; code: string; clientId?: string }> }>(
    emulator,
    "GET",
    `portals/${memberId}/bots`,
  );
  const bot = (bots.body.bots ?? []).find(
    (b) => b.code === scenario.bot && (!b.clientId || b.clientId === clientId),
  );
  if (!bot) return { verdict: "skipped", summary: `the portal has no bot ${scenario.bot} of the app` };
  const at = { memberId, botId: bot.id, userId };
  const seen = new Set((await dialog(emulator, memberId, bot.id, userId)).map((m) => m.id));
  // Opening the dialog sends ONIMBOTJOINCHAT: its greeting, if any, must not pass for the reply.
  const joined = await controlTry(emulator, "POST", `portals/${memberId}/chat/join`, {
    botId: bot.id,
    userId,
  });
  if (joined.status < 400) {
    const greeting = await botReply(emulator, at, seen, Date.now() + Math.min(5_000, timeoutMs / 2));
    for (const m of await dialog(emulator, memberId, bot.id, userId)) seen.add(m.id);
    if (greeting) seen.add(greeting.id);
  }
  const sent = await controlTry<{ messageId?: number; message?: string; error?: string }>(
    emulator,
    "POST",
    `portals/${memberId}/chat/messages`,
    { fromUserId: userId, dialogId: String(bot.id), message: scenario.message },
  );
  if (sent.status >= 400)
    return {
      verdict: "skipped",
      summary: `this user cannot write to the bot (${sent.body.message ?? sent.body.error ?? `HTTP ${sent.status}`})`,
    };
  if (sent.body.messageId !== undefined) seen.add(sent.body.messageId);
  const reply = await botReply(emulator, at, seen, Date.now() + timeoutMs);
  if (!reply) return { verdict: "fails", summary: `no reply from the bot within ${timeoutMs / 1000} s` };
  const text = reply.text.replace(/\s+/g, " ").trim();
  if (scenario.expect && !new RegExp(scenario.expect).test(reply.text))
    return {
      verdict: "fails",
      summary: `the bot answered "${text.slice(0, 200)}", not /${scenario.expect}/`,
    };
  return { verdict: "works", summary: `the bot answered "${text.slice(0, 120)}"` };
}
