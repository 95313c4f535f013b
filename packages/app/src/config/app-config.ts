import { z } from "zod";

/** An operator's login name (also shown in the audit log). */
const OPERATOR_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
/** What `hashOperatorPassword` makes: `scrypt.<N>.<r>.<p>.<salt>.<key>` (base64url). */
const PASSWORD_HASH = /^scrypt\.\d{1,8}\.\d{1,3}\.\d{1,3}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{32,}$/;

/**
 * The runtime's configuration, validated once at start-up. Each field has one
 * environment variable (`configFromEnv`); secrets never have defaults.
 */
export const appConfigSchema = z.object({
  /** The app's name as pages show it. */
  appName: z.string().min(1).default("Bitrix24 app"),
  /** Where portals reach the app (handler URLs for placements and events are built on it). */
  publicUrl: z.url().transform((u) => (u.endsWith("/") ? u : `${u}/`)),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /**
   * The OAuth server (https://oauth.bitrix.info/ in the cloud). Tokens are exchanged and
   * unknown portals are confirmed only there, never at an address a request names.
   */
  oauthServer: z
    .url()
    .default("https://oauth.bitrix.info/")
    .transform((u) => (u.endsWith("/") ? u : `${u}/`)),
  /** Keys for tokens at rest: id → 32 bytes (base64). Old ids stay to read old rows (rotation). */
  encryptionKeys: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.string().min(1)),
  /** The key new rows are sealed with. */
  encryptionKeyId: z.string().min(1),
  /** Signs frame sessions and OAuth `state` (HMAC-SHA256); at least 32 characters. */
  sessionSecret: z.string().min(32),
  /** Frame sessions live this long; the page's keep-alive renews them. */
  sessionTtlSeconds: z.number().int().min(60).max(86_400).default(900),
  /** app.option/user.option values above this many bytes are refused (the kv store takes larger ones). */
  optionLimitBytes: z.number().int().min(1).default(32_768),
  /** Audit lines older than this are pruned. */
  auditRetentionDays: z.number().int().min(1).default(30),
  /** Requests come through a reverse proxy: read the client's address and scheme from X-Forwarded-*. */
  trustProxy: z.boolean().default(false),
  /**
   * Who may sign in to the operator console (`/console`), each with a scrypt hash made by
   * `hashOperatorPassword()`. None: the console is off (its paths answer 404).
   */
  consoleOperators: z
    .array(
      z.object({
        name: z.string().regex(OPERATOR_NAME, "an operator name is 1–64 letters, digits or . _ @ -"),
        passwordHash: z
          .string()
          .regex(PASSWORD_HASH, "make the hash with hashOperatorPassword() (scrypt.N.r.p.salt.key)"),
      }),
    )
    .default([])
    .refine((list) => new Set(list.map((o) => o.name)).size === list.length, "operator names must differ"),
  /** An operator's console sign-in lasts this long. */
  consoleSessionTtlSeconds: z.number().int().min(60).max(86_400).default(3600),
  /** How often the runtime's counters and gauges are stored for the console's charts; 0: never. */
  metricsSampleSeconds: z.number().min(0).max(3600).default(60),
  /** Stored metric samples older than this are pruned. */
  metricsRetentionDays: z.number().int().min(1).default(30),
  /**
   * An event announced both online and offline is one change when the POST's `ts` is at most
   * this many seconds after the offline row's time (events/event-matching.ts). The portal sends
   * the POST after the change, sometimes late under load; neither it nor the documentation says
   * how late, hence a setting.
   */
  eventMatchWindowSeconds: z.number().int().min(0).max(3600).default(60),
});

export type AppConfigInput = z.input<typeof appConfigSchema>;
export type AppConfig = z.output<typeof appConfigSchema>;

/** Validates `input`; throws one error listing every problem, with the field names. */
export function parseAppConfig(input: AppConfigInput): AppConfig {
  const parsed = appConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(config)"}: ${issue.message}`,
  );
  throw new Error(`Invalid b24kit app configuration:\n${problems.join("\n")}`);
}

/** B24KIT_CONSOLE_OPERATORS="alice:scrypt.…,bob:scrypt.…" → [{name, passwordHash}, …]. */
function operatorList(text: string | undefined): Array<{ name: string; passwordHash: string }> | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  return text
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(":");
      return at === -1
        ? { name: pair, passwordHash: "" }
        : { name: pair.slice(0, at).trim(), passwordHash: pair.slice(at + 1).trim() };
    });
}

/** B24KIT_ENCRYPTION_KEYS="k1:BASE64,k2:BASE64" → {k1: "BASE64", k2: "BASE64"}. */
function keyList(text: string | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of (text ?? "").split(",").filter(Boolean)) {
    const at = pair.indexOf(":");
    keys[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return keys;
}

const int = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));

/** The configuration from environment variables, one per field (README lists them). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = <T extends Record<string, unknown>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return parseAppConfig(
    defined({
      appName: env.B24KIT_APP_NAME,
      publicUrl: env.B24KIT_PUBLIC_URL,
      clientId: env.B24KIT_CLIENT_ID,
      clientSecret: env.B24KIT_CLIENT_SECRET,
      oauthServer: env.B24KIT_OAUTH_SERVER,
      encryptionKeys: keyList(env.B24KIT_ENCRYPTION_KEYS),
      encryptionKeyId: env.B24KIT_ENCRYPTION_KEY_ID,
      sessionSecret: env.B24KIT_SESSION_SECRET,
      sessionTtlSeconds: int(env.B24KIT_SESSION_TTL_SECONDS),
      optionLimitBytes: int(env.B24KIT_OPTION_LIMIT_BYTES),
      auditRetentionDays: int(env.B24KIT_AUDIT_RETENTION_DAYS),
      trustProxy: env.B24KIT_TRUST_PROXY === undefined ? undefined : env.B24KIT_TRUST_PROXY === "1",
      consoleOperators: operatorList(env.B24KIT_CONSOLE_OPERATORS),
      consoleSessionTtlSeconds: int(env.B24KIT_CONSOLE_SESSION_TTL_SECONDS),
      metricsSampleSeconds: int(env.B24KIT_METRICS_SAMPLE_SECONDS),
      metricsRetentionDays: int(env.B24KIT_METRICS_RETENTION_DAYS),
      eventMatchWindowSeconds: int(env.B24KIT_EVENT_MATCH_WINDOW_SECONDS),
    }) as AppConfigInput,
  );
}
