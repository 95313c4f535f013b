/**
 * An environment variable read through the same reader as the option it stands
 * in for, so that a bad value names the variable (B24KIT_EMULATOR_PORT, not
 * --port) and says what it takes. Unset or empty counts as absent.
 */
export function fromEnv<T>(
  env: Record<string, string | undefined>,
  name: string,
  reader: (name: string) => (value: string) => T,
): T | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : reader(name)(value);
}
