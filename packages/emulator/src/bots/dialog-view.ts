import { isoWithOffset } from "../portal-time.js";
import type { PortalUser } from "../state/user.js";
import type { BotRecord } from "./bot-store.js";
import type { MessageRecord } from "./chat-store.js";

/*
 * Messages and users as im.dialog.messages.get answers them: the keys and value
 * types of api-reference/chats/messages/im-dialog-messages-get.md's example.
 * The emulator tracks no reads, reactions, presence or avatars, so those keys
 * hold the values of a user who is online with nothing unread.
 */

/** The page's "Message Object". */
export function dialogMessageEntry(m: MessageRecord): Record<string, unknown> {
  return {
    id: m.ID,
    chat_id: m.CHAT_ID,
    author_id: m.AUTHOR_ID,
    date: isoWithOffset(m.DATE_CREATE),
    text: m.MESSAGE,
    unread: false,
    uuid: m.UUID ?? null,
    replaces: [],
    // PHP writes an empty array as `[]`, as the example's second message shows.
    params: Object.keys(m.PARAMS).length > 0 ? m.PARAMS : [],
    disappearing_date: null,
  };
}

function userType(user: PortalUser): string {
  if (user.IS_BOT) return "bot";
  return user.USER_TYPE === "extranet" ? "extranet" : "user";
}

/** `bot_data` of a bot user (null for people); the page names no keys, these mirror the bot's registration. */
function botData(bot: BotRecord): Record<string, unknown> {
  return {
    code: bot.CODE,
    type: bot.TYPE,
    app_id: bot.CLIENT_ID,
    is_hidden: false,
    is_support_openlines: bot.OPENLINE === "Y",
  };
}

/** The page's "User Object"; `nowMs` stands for the last activity of a user who is online. */
export function dialogUserEntry(
  user: PortalUser,
  bot: BotRecord | undefined,
  nowMs: number,
): Record<string, unknown> {
  return {
    id: user.ID,
    active: user.ACTIVE,
    name: [user.NAME, user.LAST_NAME].filter(Boolean).join(" "),
    first_name: user.NAME,
    last_name: user.LAST_NAME,
    work_position: user.WORK_POSITION,
    color: "#df532d",
    avatar: "",
    avatar_hr: "",
    gender: user.PERSONAL_GENDER || "M",
    birthday: "",
    extranet: user.USER_TYPE === "extranet",
    network: false,
    bot: Boolean(user.IS_BOT),
    connector: false,
    external_auth_id: user.IS_BOT ? "bot" : "default",
    status: "online",
    idle: false,
    last_activity_date: isoWithOffset(nowMs),
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: user.UF_DEPARTMENT,
    phones: false,
    bot_data: bot ? botData(bot) : null,
    type: userType(user),
    website: "",
    email: user.EMAIL,
  };
}
