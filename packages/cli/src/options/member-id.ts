import { InvalidArgumentError } from "commander";

/** A portal's member_id as the app's tables key it: letters, digits, `_ . -` (32 hex characters on a real portal). */
export function memberIdValue(name: string): (value: string) => string {
  return (value) => {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(value))
      throw new InvalidArgumentError(
        `${name} must be a portal's member_id (1–128 letters, digits, _ . or -), got "${value}"`,
      );
    return value;
  };
}
