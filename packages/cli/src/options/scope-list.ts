import { InvalidArgumentError } from "commander";

/**
 * `--scopes crm,placement`: scope codes separated by commas or spaces. Only their
 * form is checked here; the emulator refuses codes no portal knows when the app
 * is registered.
 */
export function scopeList(name: string): (value: string) => string {
  return (value) => {
    const codes = value.split(/[,\s]+/).filter(Boolean);
    const bad = codes.filter((code) => !/^[a-z][a-z0-9_.]*$/i.test(code));
    if (codes.length === 0 || bad.length > 0)
      throw new InvalidArgumentError(
        `${name} must be scope codes separated by commas (e.g. crm,placement,user_brief), got "${value}"`,
      );
    return value;
  };
}
