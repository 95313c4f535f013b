import type { AppStore } from "../storage/app-store.js";
import { assertKey, type JsonValue, toJsonText } from "./json-value.js";
import { InvalidOptionError } from "./option-errors.js";

/**
 * A tenant's own key-value data in the app's database, for what is too large
 * or too private for app.option (no size limit but the database's). `Schema`
 * maps keys to value types; values are stored as JSON text and come back
 * exactly as set.
 */
export interface TenantKv<Schema extends Record<string, JsonValue> = Record<string, JsonValue>> {
  readonly memberId: string;
  get<K extends keyof Schema & string>(key: K): Promise<Schema[K] | undefined>;
  set<K extends keyof Schema & string>(key: K, value: Schema[K]): Promise<void>;
  /** Resolves whether the key was there. */
  delete(key: keyof Schema & string): Promise<boolean>;
  /** Keys starting with `prefix`, in key order (bytewise). */
  keys(prefix?: string): Promise<Array<keyof Schema & string>>;
}

/** The key-value store of one tenant, over `store.tenant(memberId).kv`. */
export function tenantKv<Schema extends Record<string, JsonValue> = Record<string, JsonValue>>(
  store: AppStore,
  memberId: string,
): TenantKv<Schema> {
  const kv = store.tenant(memberId).kv;
  return {
    memberId,
    async get(key) {
      assertKey(key, "tenantKv");
      const text = await kv.get(key);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as Schema[typeof key];
      } catch (error) {
        throw new InvalidOptionError(`tenantKv "${key}" of ${memberId} holds text that is not JSON`, {
          cause: error,
        });
      }
    },
    async set(key, value) {
      assertKey(key, "tenantKv");
      await kv.set(key, toJsonText(value, `tenantKv "${key}"`));
    },
    async delete(key) {
      assertKey(key, "tenantKv");
      return kv.delete(key);
    },
    keys: (prefix) => kv.keys(prefix) as Promise<Array<keyof Schema & string>>,
  };
}
