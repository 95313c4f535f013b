import type { MethodCaller } from "@b24kit/rest";
import { assertKey, type JsonValue, toJsonText, utf8Bytes } from "./json-value.js";
import { OptionTooLargeError } from "./option-errors.js";

export interface PortalOptionsSettings {
  /** Values larger than this (UTF-8 bytes of their JSON) are refused before the portal is called. Default 32 KB. */
  limitBytes?: number;
}

/**
 * Typed options kept on the portal. `Schema` maps keys to value types
 * (`appOptions<{ theme: "dark" | "light"; pipelines: number[] }>(client)`).
 */
export interface PortalOptions<Schema extends Record<string, JsonValue> = Record<string, JsonValue>> {
  readonly limitBytes: number;
  /** The value, or undefined when the key is not set. */
  get<K extends keyof Schema & string>(key: K): Promise<Schema[K] | undefined>;
  getAll(): Promise<Partial<Schema>>;
  set<K extends keyof Schema & string>(key: K, value: Schema[K]): Promise<void>;
  /** Several keys in one call; nothing is sent when any value is too large. */
  setMany(values: Partial<Schema>): Promise<void>;
}

export const DEFAULT_OPTION_LIMIT_BYTES = 32 * 1024;

/**
 * `app.option.get`/`app.option.set` (api-reference/common/settings/app-option-*.md):
 * settings of the app on one portal, readable by any user, writable only by
 * an administrator (a non-admin's write fails with `AccessException`).
 * Needs an app context (an OAuth client of the tenant, not a webhook).
 */
export function appOptions<Schema extends Record<string, JsonValue> = Record<string, JsonValue>>(
  client: MethodCaller,
  settings: PortalOptionsSettings = {},
): PortalOptions<Schema> {
  return portalOptions<Schema>(client, "app.option", settings);
}

/**
 * `user.option.get`/`user.option.set` (api-reference/common/settings/user-option-*.md):
 * settings of the app for the user whose token the client holds.
 */
export function userOptions<Schema extends Record<string, JsonValue> = Record<string, JsonValue>>(
  client: MethodCaller,
  settings: PortalOptionsSettings = {},
): PortalOptions<Schema> {
  return portalOptions<Schema>(client, "user.option", settings);
}

/**
 * Values travel as their JSON text, so they come back exactly as set: the
 * portal answers from PHP, which turns `{}` into `[]` and, for values sent
 * form-encoded (BX24.js), every scalar into a string. The size checked is
 * that text's, the string the portal stores. A value other code stored
 * (not JSON text) is returned as the portal gives it.
 */
function portalOptions<Schema extends Record<string, JsonValue>>(
  client: MethodCaller,
  prefix: "app.option" | "user.option",
  settings: PortalOptionsSettings,
): PortalOptions<Schema> {
  const limitBytes = settings.limitBytes ?? DEFAULT_OPTION_LIMIT_BYTES;
  if (!Number.isInteger(limitBytes) || limitBytes < 1)
    throw new RangeError(`${prefix} limitBytes must be a positive integer, got ${limitBytes}`);

  const encode = (key: string, value: unknown): string => {
    assertKey(key, prefix);
    const text = toJsonText(value, `${prefix} "${key}"`);
    const size = utf8Bytes(text);
    if (size > limitBytes) throw new OptionTooLargeError(key, size, limitBytes, prefix);
    return text;
  };

  const setMany = async (values: Partial<Schema>): Promise<void> => {
    const options: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined) options[key] = encode(key, value);
    }
    // The portal refuses an empty set (ArgumentNullException "options is empty").
    if (Object.keys(options).length === 0) return;
    await client.call<boolean>(`${prefix}.set`, { options });
  };

  return {
    limitBytes,
    async get(key) {
      assertKey(key, prefix);
      const { result } = await client.call<unknown>(`${prefix}.get`, { option: key });
      return decode(result) as Schema[typeof key] | undefined;
    },
    async getAll() {
      const { result } = await client.call<unknown>(`${prefix}.get`);
      const all: Record<string, unknown> = {};
      // No options at all arrive as [] (PHP's empty array).
      if (result && typeof result === "object" && !Array.isArray(result)) {
        for (const [key, raw] of Object.entries(result)) {
          const value = decode(raw);
          if (value !== undefined) all[key] = value;
        }
      }
      return all as Partial<Schema>;
    },
    set: (key, value) => setMany({ [key]: value } as unknown as Partial<Schema>),
    setMany,
  };
}

function decode(raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
