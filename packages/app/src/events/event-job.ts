import { randomBytes } from "node:crypto";
import type { NewJob } from "../queue/job-queue.js";
import { eventKey, type StoredEvent } from "./stored-event.js";

/** Job kinds the runtime's worker runs. */
export const EVENT_JOB = "event";
export const OFFLINE_DRAIN_JOB = "offline-drain";

export type EventJobPayload = StoredEvent;

/**
 * The job for an event. An offline row is keyed by its change (read twice, it is queued
 * once); an online POST also by its receipt, since the portal never repeats one. Whether
 * the two copies of one change both run is the runner's to decide (event-matching.ts).
 */
export function eventJob(memberId: string, event: StoredEvent): NewJob {
  const key = eventKey(event.event, event.data, event.ts);
  return {
    memberId,
    id: event.source === "online" ? `${key}:${receiptTag(event.receivedAt)}` : key,
    kind: EVENT_JOB,
    payload: event as never,
  };
}

/** This process among the app's processes (drawn once: a draw per event costs more than the rest of its key). */
const PROCESS_TAG = randomBytes(6).toString("base64url");
let receipts = 0;

/** Unique per POST across processes: the receipt time, the process and a counter. */
function receiptTag(receivedAt: number): string {
  receipts = (receipts + 1) % 1_000_000_000;
  return `${receivedAt.toString(36)}.${PROCESS_TAG}.${receipts.toString(36)}`;
}
