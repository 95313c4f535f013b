import { InvalidArgumentError } from "commander";

/**
 * Readers of numeric option values (and of environment variables, with the
 * variable's name): each refuses what it cannot use with a message that names
 * the option and says what it takes. Commander prints it on one line and exits 1.
 */
function number(value: string): number {
  return value.trim() === "" ? Number.NaN : Number(value);
}

export function wholeNumber(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export function portNumber(name: string): (value: string) => number {
  return (value) => {
    const n = number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new InvalidArgumentError(
        `${name} must be a port number 0..65535 (0 picks a free one), got "${value}"`,
      );
    return n;
  };
}

export function seconds(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be seconds from ${min} to ${max}, got "${value}"`);
    return n;
  };
}
