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
