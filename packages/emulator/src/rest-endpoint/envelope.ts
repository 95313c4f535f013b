/**
 * JSON as PHP's json_encode produces it: an empty associative array is `[]`,
 * never `{}` (protocol.md §0.3). Applies at every depth.
 */
export function phpJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (
      v &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      Object.keys(v).length === 0 &&
      !(v instanceof Date)
    ) {
      return [];
    }
    return v;
  });
}
