import type { AppStore, TokenCipher } from "@b24kit/app";
import { type AuthStrategy, type FetchLike, oauthAuth, redactUrl, webhookAuth } from "@b24kit/rest";
import { databaseUrlFrom } from "../../options/database-url.js";

/** Who `b24kit call` calls as: the auth strategy, what to hide in messages, what to close after. */
export interface CallTarget {
  auth: AuthStrategy;
  /** Strings that must never be printed (the webhook's code). */
  secrets: string[];
  close(): Promise<void>;
}

export interface TargetOptions {
  webhook?: string;
  memberId?: string;
  database?: string;
}

export class TargetError extends Error {}

/**
 * The webhook (`--webhook`, else `$B24KIT_WEBHOOK_URL`) or the installed app on one
 * portal (`--member-id`, with the app's token store and keys from the environment).
 */
export async function openTarget(
  options: TargetOptions,
  env: NodeJS.ProcessEnv,
  openStore?: (url: string) => Promise<AppStore>,
  fetch?: FetchLike,
): Promise<CallTarget> {
  if (options.webhook !== undefined && options.memberId !== undefined)
    throw new TargetError("--webhook and --member-id exclude each other: call as one or the other");
  if (options.memberId !== undefined)
    return appTarget(options.memberId, options.database, env, openStore, fetch);
  const url = options.webhook ?? (env.B24KIT_WEBHOOK_URL || undefined);
  if (url === undefined)
    throw new TargetError(
      "say where to call: --webhook https://portal/rest/1/CODE/ (or $B24KIT_WEBHOOK_URL), or --member-id ID for the installed app",
    );
  return webhookTarget(url, options.webhook !== undefined ? "--webhook" : "B24KIT_WEBHOOK_URL");
}

/** The webhook's URL checked here, not as an option: its code is a secret that no message may echo. */
function webhookTarget(url: string, name: string): CallTarget {
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetError(`${name} is not a URL: ${shown}`);
  }
  const match = /^\/rest\/(\d+)\/([^/]+)\/?$/.exec(parsed.pathname);
  if (!match || (parsed.protocol !== "https:" && parsed.protocol !== "http:"))
    throw new TargetError(
      `${name} must be an incoming webhook like https://portal.bitrix24.com/rest/1/CODE/, got ${shown}`,
    );
  const secret = decodeURIComponent(match[2]!);
  let auth: AuthStrategy;
  try {
    auth = webhookAuth(url);
  } catch (error) {
    throw new TargetError(`${name}: ${scrub((error as Error).message, [secret])}`);
  }
  return {
    auth,
    secrets: [secret],
    close: async () => {},
  };
}

/** The environment variables `--member-id` needs, as the app runtime names them. */
const APP_ENV = [
  "B24KIT_CLIENT_ID",
  "B24KIT_CLIENT_SECRET",
  "B24KIT_ENCRYPTION_KEYS",
  "B24KIT_ENCRYPTION_KEY_ID",
] as const;

async function appTarget(
  memberId: string,
  database: string | undefined,
  env: NodeJS.ProcessEnv,
  openStore: ((url: string) => Promise<AppStore>) | undefined,
  fetch: FetchLike | undefined,
): Promise<CallTarget> {
  const url = await databaseUrlFrom(database, env, { existing: true });
  if (!url)
    throw new TargetError(
      "--member-id needs the app's database: pass --database sqlite:FILE|postgres://… or set B24KIT_DATABASE_URL",
    );
  const missing = APP_ENV.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new TargetError(
      `--member-id needs the app's configuration in the environment: ${missing.join(", ")} (as the app runtime reads them)`,
    );
  // The app runtime loads only for a call as the app: a webhook call (or a refused option) never needs it.
  const { canCallPortal, storeFromUrl, TokenCipher, TokenVault } = await import("@b24kit/app");
  const cipher = cipherFromEnv(TokenCipher, env.B24KIT_ENCRYPTION_KEYS!, env.B24KIT_ENCRYPTION_KEY_ID!);
  const store = await (openStore ?? storeFromUrl)(url);
  try {
    const tenant = await store
      .tenant(memberId)
      .get()
      .catch((error: unknown) => {
        if (/no such table|relation .* does not exist/i.test(String((error as Error)?.message)))
          throw new TargetError(
            "this database has no app tables yet: run `b24kit migrate` (and install the app)",
          );
        throw error;
      });
    if (!tenant)
      throw new TargetError(`no portal ${memberId} in this database: the app is not installed there`);
    if (!canCallPortal(tenant.state))
      throw new TargetError(
        `portal ${memberId} is ${tenant.state}${tenant.stateReason ? ` (${tenant.stateReason})` : ""}: the app cannot call it`,
      );
    const auth = oauthAuth({
      memberId,
      clientId: env.B24KIT_CLIENT_ID!,
      clientSecret: env.B24KIT_CLIENT_SECRET!,
      store: new TokenVault(store, cipher).tokenStore(memberId),
      ...(fetch ? { fetch } : {}),
    });
    return {
      auth,
      secrets: [env.B24KIT_CLIENT_SECRET!],
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** B24KIT_ENCRYPTION_KEYS="k1:BASE64,k2:BASE64" and B24KIT_ENCRYPTION_KEY_ID, as the app runtime reads them. */
function cipherFromEnv(Cipher: typeof TokenCipher, list: string, currentId: string): TokenCipher {
  const keys: Record<string, Buffer> = {};
  for (const pair of list.split(",").filter((p) => p.trim() !== "")) {
    const at = pair.indexOf(":");
    if (at < 1) throw new TargetError("B24KIT_ENCRYPTION_KEYS must be id:base64[,id:base64…]");
    keys[pair.slice(0, at).trim()] = Buffer.from(pair.slice(at + 1).trim(), "base64");
  }
  try {
    return new Cipher(keys, currentId);
  } catch (error) {
    throw new TargetError(`B24KIT_ENCRYPTION_KEYS / B24KIT_ENCRYPTION_KEY_ID: ${(error as Error).message}`);
  }
}

/** The text with every secret (and any webhook code or secret query value) replaced. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = redactUrl(text);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
