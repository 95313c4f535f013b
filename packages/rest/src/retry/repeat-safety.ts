const READ_SUFFIXES = [
  ".get",
  ".list",
  ".fields",
  ".search",
  ".current",
  ".info",
  ".getchildren",
  ".getlist",
  ".count",
];
const READ_METHODS = new Set([
  "profile",
  "scope",
  "methods",
  "method.get",
  "feature.get",
  "server.time",
  "user.admin",
  "user.access",
  "access.name",
  "events",
  "app.option.get",
  "user.option.get",
]);
/** Reads that consume what they return: a repeat would lose the first answer's rows. */
const DESTRUCTIVE_READS = new Set(["event.offline.get"]);
/** Writes whose repetition leaves the same state (they may fire an event twice, nothing more). */
const IDEMPOTENT_SUFFIXES = [".update", ".set", ".delete", ".unbind", ".unregister"];

/**
 * Whether a call may be sent again after it might have reached the portal.
 * Reads and state-setting writes may; creating writes (`*.add`,
 * `im.message.add`, `imbot.register`, …) and unknown methods may not: a
 * repeat would duplicate the record or message.
 */
export function isRepeatable(method: string): boolean {
  const m = method.toLowerCase();
  if (DESTRUCTIVE_READS.has(m)) return false;
  if (READ_METHODS.has(m)) return true;
  return READ_SUFFIXES.some((s) => m.endsWith(s)) || IDEMPOTENT_SUFFIXES.some((s) => m.endsWith(s));
}
