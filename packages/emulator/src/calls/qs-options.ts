/**
 * PHP-compatible decoding limits. qs defaults silently reshape data (depth 5,
 * arrays over 20 items become objects, 1000 keys max), so they are set wide.
 */
export const QS_OPTIONS = {
  depth: 20,
  arrayLimit: 10_000,
  parameterLimit: 100_000,
  allowDots: false,
} as const;
