import type { MethodCaller } from "@b24kit/rest";
import type { BotReply, BotReplyOptions } from "./bot-handlers.js";

/**
 * `ctx.reply`: `imbot.message.add` as `botId` to `dialogId` (docs/protocol.md
 * §12.2). MESSAGE is required there even with ATTACH; the portal refuses an
 * empty one (MESSAGE_EMPTY) and the error reaches the handler.
 */
export function botReply(client: MethodCaller, botId: number, dialogId: string): BotReply {
  return async (text: string, options: BotReplyOptions = {}) => {
    const sent = await client.call<number | string>("imbot.message.add", {
      BOT_ID: botId,
      DIALOG_ID: dialogId,
      MESSAGE: text,
      ...(options.keyboard !== undefined ? { KEYBOARD: options.keyboard } : {}),
      ...(options.attach !== undefined ? { ATTACH: options.attach } : {}),
      ...(options.menu !== undefined ? { MENU: options.menu } : {}),
      ...(options.system !== undefined ? { SYSTEM: options.system ? "Y" : "N" } : {}),
      ...(options.urlPreview !== undefined ? { URL_PREVIEW: options.urlPreview ? "Y" : "N" } : {}),
    });
    return Number(sent.result);
  };
}

/**
 * `ctx.reply` of a Chatbots 2.0 bot: `imbot.v2.Chat.Message.send` as `botId` to
 * `dialogId` (chat-bots-v2/imbot.v2/messages/chat-message-send.md); the app's
 * OAuth tokens authorise it, so no botToken. Resolves with the message id.
 */
export function botV2Reply(client: MethodCaller, botId: number, dialogId: string): BotReply {
  return async (text: string, options: BotReplyOptions = {}) => {
    const sent = await client.call<{ id: number | string }>("imbot.v2.Chat.Message.send", {
      botId,
      dialogId,
      fields: {
        message: text,
        ...(options.keyboard !== undefined ? { keyboard: options.keyboard } : {}),
        ...(options.attach !== undefined ? { attach: options.attach } : {}),
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(options.urlPreview !== undefined ? { urlPreview: options.urlPreview } : {}),
      },
    });
    return Number(sent.result?.id);
  };
}
