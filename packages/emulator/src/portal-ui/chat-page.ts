import { listBots } from "../bots/bot-store.js";
import { ChatError, dialogMessages, userDialogs } from "../bots/chat-actions.js";
import { parseDialogId } from "../bots/chat-store.js";
import { v2BotById } from "../bots/v2-bot-store.js";
import { placementButtons } from "./frame-markup.js";
import { esc, notice } from "./html.js";
import { type PageContext, renderPage, switchableUsers, userName } from "./layout.js";
import { visiblePlacements } from "./visibility.js";

/*
 * The messenger page `/online/` (docs/protocol.md §12): bots and the UI user's
 * dialogs on the left, the open dialog on the right. Sending goes through
 * postUserMessage, so bots get ONIMBOTJOINCHAT / ONIMBOTMESSAGEADD exactly as
 * for im.message.add. IM_TEXTAREA and IM_SIDEBAR placements show as buttons
 * in the dialog's header. Chatbots 2.0 bots are listed beside classic ones with a
 * "v2" badge (hidden ones are not: chat-bots-v2/imbot.v2/bots/bot-register.md, isHidden).
 */

function time(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** Message text as the messenger shows it: escaped, [USER=id]name[/USER] and [B]…[/B] rendered, line breaks kept. */
function messageText(text: string): string {
  return esc(text)
    .replace(/\[USER=\d+\](.*?)\[\/USER\]/gi, '<span class="b24-mention">$1</span>')
    .replace(/\[B\](.*?)\[\/B\]/gi, "<b>$1</b>")
    .replace(/\[BR\]|\n/gi, "<br>");
}

function avatar(label: string, bot: boolean): string {
  const letters = label
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return `<span class="b24-avatar${bot ? " b24-avatar--bot" : ""}" aria-hidden="true">${esc(letters || "?")}</span>`;
}

export function chatPage(ctx: PageContext, dialog: string | undefined, error?: string): string {
  const { portal, user } = ctx;
  const bots = listBots(portal).filter((bot) => !v2BotById(portal, bot.ID)?.IS_HIDDEN);
  const dialogs = userDialogs(portal, user.ID);
  const entry = (id: string, title: string, subtitle: string, bot: boolean, badge = "") =>
    `<a class="b24-chat__entry${id === dialog ? " is-active" : ""}" href="/online/?dialog=${encodeURIComponent(id)}">${avatar(
      title,
      bot,
    )}<span class="b24-chat__entry-text"><span class="b24-chat__entry-title">${esc(title)}${badge}</span><span class="b24-chat__entry-sub">${esc(
      subtitle,
    )}</span></span></a>`;
  const botList = bots
    .map((bot) => {
      const person = portal.users.get(bot.ID);
      const v2 = v2BotById(portal, bot.ID) !== undefined;
      const badge = v2
        ? ' <span class="b24-badge b24-badge--v2" title="Chatbots 2.0 (imbot.v2)">v2</span>'
        : "";
      return entry(
        String(bot.ID),
        userName(person),
        `Chat bot${v2 ? " 2.0" : ""} · ${bot.CODE}`,
        true,
        badge,
      );
    })
    .join("");
  const dialogList = dialogs
    .map((d) => {
      const isBot = d.type === "P" && bots.some((b) => String(b.ID) === d.dialogId);
      return entry(d.dialogId, d.title, d.lastMessage?.text.slice(0, 60) ?? "", isBot);
    })
    .join("");
  const people = switchableUsers(portal)
    .filter((u) => u.ID !== user.ID && u.ACTIVE)
    .map((u) => entry(String(u.ID), userName(u), u.WORK_POSITION, false))
    .join("");
  const sidebar = `<aside class="b24-chat__list">
<div class="b24-chat__section">Chat bots</div>${botList || '<p class="b24-empty">No bots registered.</p>'}
<div class="b24-chat__section">Recent</div>${dialogList || '<p class="b24-empty">No conversations yet.</p>'}
<div class="b24-chat__section">Employees</div>${people || '<p class="b24-empty">Nobody else here.</p>'}
</aside>`;

  let conversation = `<section class="b24-chat__dialog b24-chat__dialog--empty"><p class="b24-muted">Pick a bot or a colleague to start a conversation.</p></section>`;
  const ref = dialog ? parseDialogId(dialog) : undefined;
  if (dialog && ref) {
    let title = dialog;
    let messagesHtml = "";
    try {
      const { chat, messages } = dialogMessages(portal, user.ID, dialog);
      if (ref.kind === "user") title = userName(portal.users.get(ref.userId));
      else title = chat?.TITLE || dialog;
      messagesHtml = messages
        .map((m) => {
          const author = portal.users.get(m.AUTHOR_ID);
          const mine = m.AUTHOR_ID === user.ID;
          const system = m.SYSTEM === "Y";
          const extras = [
            m.PARAMS.ATTACH !== undefined ? '<span class="b24-chat__extra">attachment</span>' : "",
            m.PARAMS.KEYBOARD !== undefined ? '<span class="b24-chat__extra">keyboard</span>' : "",
          ].join("");
          return `<div class="b24-msg${mine ? " b24-msg--mine" : ""}${system ? " b24-msg--system" : ""}" data-message-id="${m.ID}">${
            mine ? "" : avatar(userName(author), Boolean(author?.IS_BOT))
          }<div class="b24-msg__bubble">${mine || system ? "" : `<div class="b24-msg__author">${esc(userName(author))}</div>`}<div class="b24-msg__text">${messageText(
            m.MESSAGE,
          )}</div>${extras}<div class="b24-msg__time">${time(m.DATE_CREATE)}</div></div></div>`;
        })
        .join("");
    } catch (e) {
      error = error ?? (e instanceof ChatError ? e.description : String(e));
    }
    const imButtons = [
      ...visiblePlacements(ctx.world, portal, user, "IM_TEXTAREA"),
      ...visiblePlacements(ctx.world, portal, user, "IM_SIDEBAR"),
    ];
    conversation = `<section class="b24-chat__dialog" data-dialog="${esc(dialog)}">
<header class="b24-chat__head"><div class="b24-chat__title">${esc(title)}</div><div class="b24-chat__tools">${placementButtons(
      imButtons,
      { dialogId: dialog },
    )}</div></header>
<div class="b24-chat__messages" data-chat-messages>${messagesHtml || '<p class="b24-empty">No messages yet. Say hello!</p>'}</div>
<form class="b24-chat__composer" method="post" action="/online/">
<input type="hidden" name="dialogId" value="${esc(dialog)}">
<input class="b24-chat__input" name="message" placeholder="Type a message…" autocomplete="off" required>
<button class="b24-btn b24-btn--primary" type="submit">Send</button>
</form></section>`;
  }
  return renderPage(ctx, {
    title: "Chat",
    active: "chat",
    body: `${error ? notice("error", error) : ""}<div class="b24-chat">${sidebar}${conversation}</div>`,
  });
}
