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

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

/** ISO-8601 with a numeric offset, as the portal writes dates (`2026-01-01T00:00:00+00:00`). */
export function isoWithOffset(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

export function timeBlock(startMs: number, finishMs: number, processingS: number): TimeBlock {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingS,
    date_start: isoWithOffset(startMs),
    date_finish: isoWithOffset(finishMs),
  };
}
