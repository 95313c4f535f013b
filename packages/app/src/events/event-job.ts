import type { StoredEvent } from "./stored-event.js";

/** Job kinds the runtime's worker runs. */
export const EVENT_JOB = "event";
export const OFFLINE_DRAIN_JOB = "offline-drain";

export type EventJobPayload = StoredEvent;
