import type { NewJob } from "../queue/job-queue.js";
import { eventKey, type StoredEvent } from "./stored-event.js";

/** Job kinds the runtime's worker runs. */
export const EVENT_JOB = "event";
export const OFFLINE_DRAIN_JOB = "offline-drain";

export type EventJobPayload = StoredEvent;

/** The job for an event, keyed by the change it reports (the same for its online and offline copies). */
export function eventJob(memberId: string, event: StoredEvent): NewJob {
  return {
    memberId,
    id: eventKey(event.event, event.data, event.ts),
    kind: EVENT_JOB,
    payload: event as never,
  };
}
