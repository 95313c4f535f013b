/** Times as the portal writes them: the envelope's `time` block and ISO dates with an offset. */

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
