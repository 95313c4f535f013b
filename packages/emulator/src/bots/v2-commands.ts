import type { Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { botById } from "./bot-store.js";
import type { ChatRecord, MessageRecord } from "./chat-store.js";
import { allV2Commands, type V2CommandRecord } from "./v2-command-store.js";
import { sendV2CommandAdd } from "./v2-events.js";

/*
 * Slash commands typed in a message (api-reference/chat-bots/chat-bots-v2/imbot.v2/
 * commands/index.md): each line of the form `/name params` that names a registered
 * command is one call, ONIMBOTV2COMMANDADD with context `textarea` (several commands in
 * one message: one event each). A local command works where its bot is a member, a
 * common one in any chat; extranet authors only reach commands with extranetSupport.
 */

/** `/name rest…` of each line, in order. */
export function commandLines(text: string): Array<{ name: string; params: string }> {
  const calls: Array<{ name: string; params: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*\/(\S+)(?:\s+(.*))?$/.exec(line);
    if (match) calls.push({ name: match[1]!, params: (match[2] ?? "").trim() });
  }
  return calls;
}

/** Whether `author` may call `command` in `chat` (commands/index.md "Where the Command Is Available"). */
export function commandReachable(command: V2CommandRecord, chat: ChatRecord, author: PortalUser): boolean {
  if (author.USER_TYPE === "extranet" && !command.EXTRANET_SUPPORT) return false;
  return command.COMMON || chat.MEMBERS.includes(command.BOT_ID);
}

/** The commands `message` calls in `chat`: one entry per line and bot. */
export function calledCommands(
  portal: Portal,
  chat: ChatRecord,
  message: MessageRecord,
  author: PortalUser,
): Array<{ command: V2CommandRecord; params: string }> {
  const lines = commandLines(message.MESSAGE);
  if (lines.length === 0) return [];
  const commands = allV2Commands(portal);
  return lines.flatMap(({ name, params }) =>
    commands
      .filter((c) => c.COMMAND === name && commandReachable(c, chat, author))
      .map((command) => ({ command, params })),
  );
}

/** Sends ONIMBOTV2COMMANDADD for every command a person's message calls. */
export function dispatchV2Commands(
  world: World,
  portal: Portal,
  chat: ChatRecord,
  message: MessageRecord,
  author: PortalUser,
): void {
  if (author.IS_BOT) return;
  for (const { command, params } of calledCommands(portal, chat, message, author)) {
    const bot = botById(portal, command.BOT_ID);
    if (!bot) continue;
    sendV2CommandAdd(
      world,
      portal,
      bot,
      { id: command.ID, command: `/${command.COMMAND}`, params, context: "textarea" },
      chat,
      message,
      author,
    );
  }
}
