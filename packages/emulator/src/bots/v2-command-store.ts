import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/*
 * Slash commands of Chatbots 2.0 bots (api-reference/chat-bots/chat-bots-v2/imbot.v2/
 * commands/): one row per command of a bot, with its titles and parameter hints per
 * language. The Command object's fields are those of entities.md "Command".
 */

const COMMANDS = "im_bot_v2_commands";

export interface V2CommandRecord {
  ID: number;
  BOT_ID: number;
  /** The name without its leading `/`. */
  COMMAND: string;
  /** `{langCode: text}` (command-register.md `fields.title`). */
  TITLE: Record<string, string>;
  PARAMS: Record<string, string>;
  COMMON: boolean;
  HIDDEN: boolean;
  EXTRANET_SUPPORT: boolean;
}

const asCommand = (row: Row) => row as unknown as V2CommandRecord;

export function allV2Commands(portal: Portal): V2CommandRecord[] {
  return portal
    .table(COMMANDS)
    .all()
    .map(asCommand)
    .sort((a, b) => a.ID - b.ID);
}

export function commandsOfBot(portal: Portal, botId: number): V2CommandRecord[] {
  return allV2Commands(portal).filter((c) => c.BOT_ID === botId);
}

export function v2CommandById(portal: Portal, id: number): V2CommandRecord | undefined {
  const row = portal.table(COMMANDS).get(id);
  return row ? asCommand(row) : undefined;
}

export function insertV2Command(portal: Portal, init: Omit<V2CommandRecord, "ID">): V2CommandRecord {
  return asCommand(portal.table(COMMANDS).insert({ ...init }));
}

export function deleteV2Command(portal: Portal, id: number): void {
  portal.table(COMMANDS).delete(id);
}

/** Forgets a deleted bot's commands. */
export function dropV2Commands(portal: Portal, botId: number): void {
  for (const c of commandsOfBot(portal, botId)) deleteV2Command(portal, c.ID);
}

/** The Command object of register/update (command-register.md "Fields of the Command Object"). */
export function v2CommandView(c: V2CommandRecord): Record<string, unknown> {
  return {
    id: c.ID,
    botId: c.BOT_ID,
    command: `/${c.COMMAND}`,
    common: c.COMMON,
    hidden: c.HIDDEN,
    extranetSupport: c.EXTRANET_SUPPORT,
  };
}

/** A text in `language`, else the first one there is (command-list.md `title`: with a fallback). */
function localized(texts: Record<string, string>, language: string): string {
  return texts[language] ?? Object.values(texts)[0] ?? "";
}

/**
 * The Command object of Command.list: with `title`, `params`, `category` (the bot's
 * name, entities.md) and `context` ("" outside an event, as command-list.md shows it).
 */
export function v2CommandListView(
  c: V2CommandRecord,
  botName: string,
  language: string,
): Record<string, unknown> {
  return {
    id: c.ID,
    botId: c.BOT_ID,
    command: `/${c.COMMAND}`,
    title: localized(c.TITLE, language),
    params: localized(c.PARAMS, language),
    common: c.COMMON,
    hidden: c.HIDDEN,
    extranetSupport: c.EXTRANET_SUPPORT,
    category: botName,
    context: "",
  };
}
