import { InvalidOptionError } from "./option-errors.js";

/** A value JSON can carry exactly: what options and the tenant key-value store hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const utf8 = new TextEncoder();

/** The JSON text of `value`, refusing what JSON cannot carry (undefined, functions, BigInt, cycles). */
export function toJsonText(value: unknown, where: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidOptionError(
      `${where}: the value cannot be written as JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  if (typeof text !== "string") throw new InvalidOptionError(`${where}: the value cannot be written as JSON`);
  return text;
}

/** Bytes of `text` in UTF-8, as a database or the portal stores it. */
export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

/** Checks a key before anything is sent or stored. */
export function assertKey(key: unknown, where: string): asserts key is string {
  if (typeof key !== "string" || key.length === 0)
    throw new InvalidOptionError(
      `${where}: keys are non-empty strings, got ${JSON.stringify(key) ?? typeof key}`,
    );
}
