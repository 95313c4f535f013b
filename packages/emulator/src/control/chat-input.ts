import { z } from "zod";
import { userId } from "./control-values.js";

/** A group chat: its number, or `chatN` as dialog ids write it. */
const chatId = z.union(
  [
    userId,
    z
      .string()
      .regex(/^chat\d+$/i)
      .transform((v) => Number(v.slice(4))),
  ],
  "a chat id: a number or chatN",
);

/** `POST portals/{m}/chats {title?, authorId?, userIds}`. */
export const newChatBody = z
  .object({ title: z.string(), authorId: userId, userIds: z.array(userId, "a list of user ids") })
  .partial()
  .strict();

/** `POST portals/{m}/chat/messages`: what a person writes (attachments as im.message.add takes them). */
export const chatMessageBody = z
  .object({
    fromUserId: userId.optional(),
    dialogId: z.union([z.string().min(1), z.number().int()], "a user id or chatN"),
    message: z.string().optional(),
    attach: z.unknown().optional(),
    keyboard: z.unknown().optional(),
    menu: z.unknown().optional(),
  })
  .strict();

/** `POST portals/{m}/chat/join {botId, userId | chatId, byUserId?}`. */
export const chatJoinBody = z
  .object({
    botId: userId,
    userId: userId.optional(),
    chatId: chatId.optional(),
    byUserId: userId.optional(),
  })
  .strict()
  .refine((b) => b.userId !== undefined || b.chatId !== undefined, "userId or chatId is required");

/** `?userId=`: whose view of the messenger (default the portal's UI user). */
export const viewerQuery = z.object({ userId }).partial().strict();
