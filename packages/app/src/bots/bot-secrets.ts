/** Fields of a `data[BOT][<id>]` block that are not secrets: what the bot router and logs need. */
const PUBLIC_BOT_FIELDS = [
  "BOT_ID",
  "BOT_CODE",
  "member_id",
  "user_id",
  "client_id",
  "domain",
  "client_endpoint",
  "server_endpoint",
  "scope",
  "status",
] as const;

function keepPublic(block: unknown): unknown {
  if (!block || typeof block !== "object" || Array.isArray(block)) return {};
  const source = block as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const name of PUBLIC_BOT_FIELDS) if (Object.hasOwn(source, name)) kept[name] = source[name];
  return kept;
}

/**
 * A bot event's `data` without the tokens it carries: each `data[BOT][<id>]`
 * block holds the bot user's access and refresh tokens, the application_token
 * and the same again under AUTH (docs/protocol.md §12.3). Keep this, not the
 * POST's `data`, wherever events are stored (a queue, logs): `dispatchBotEvent`
 * needs only BOT_ID, BOT_CODE and member_id, and replies through the tenant's
 * own client. Other data is returned as it is; the input is not changed.
 */
export function withoutBotTokens<T>(data: T): T {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data;
  const source = data as Record<string, unknown>;
  // Chatbots 2.0 webhooks: `data.bot.auth` holds the bot's OAuth tokens (imbot.v2/events/events.md).
  if (Object.hasOwn(source, "bot")) {
    const bot = source.bot;
    if (!bot || typeof bot !== "object" || Array.isArray(bot)) return data;
    const { auth: _auth, ...rest } = bot as Record<string, unknown>;
    return { ...source, bot: rest } as T;
  }
  if (!Object.hasOwn(source, "BOT")) return data;
  const bots = source.BOT;
  const BOT = Array.isArray(bots)
    ? bots.map(keepPublic)
    : bots && typeof bots === "object"
      ? Object.fromEntries(Object.entries(bots).map(([id, block]) => [id, keepPublic(block)]))
      : bots;
  return { ...source, BOT } as T;
}
