/* A bot event as the router reads it, whichever bot API it came from. */

/** A bot an event is addressed to. */
export interface BotRef {
  id: number;
  code: string;
  /** Which bot API the event came from (and the reply goes through); classic when absent. */
  api?: "classic" | "v2";
}

/** `data[USER]`, read. */
export interface BotUser {
  id: number;
  /** The full name as the portal sends it (NAME). */
  name: string;
  firstName: string;
  lastName: string;
  workPosition: string;
  isBot: boolean;
  isExtranet: boolean;
}

/** A bot event, read defensively from whatever the form parser produced. */
export type BotEvent =
  | {
      type: "message";
      /** The app's bots it is addressed to (several when one message mentions several of them). */
      bots: Array<BotRef & { memberId?: string }>;
      text: string;
      messageId: number;
      dialogId: string;
      chatType: string;
      fromUserId: number;
      user: BotUser | undefined;
      params: Record<string, unknown>;
    }
  | {
      type: "join";
      bots: Array<BotRef & { memberId?: string }>;
      dialogId: string;
      chatType: string;
      userId: number;
      user: BotUser | undefined;
      params: Record<string, unknown>;
    }
  | { type: "delete"; bot: BotRef };
