import { B24Error, type MethodCaller } from "@b24kit/rest";
import type { FormObject } from "../inbound/read-body.js";
import type { NewJob } from "../queue/job-queue.js";
import { type EventJobPayload, eventJob } from "./event-job.js";

/** One row of `event.offline.get` (api-reference/events/event-offline-get.md). */
interface OfflineRow {
  ID: string;
  TIMESTAMP_X: string;
  EVENT_NAME: string;
  EVENT_DATA?: unknown;
  MESSAGE_ID?: string;
}

interface OfflineBatch {
  process_id?: string | null;
  events?: OfflineRow[];
}

export interface OfflineDrainDeps {
  client: MethodCaller;
  memberId: string;
  enqueue(job: NewJob): Promise<boolean>;
  /** Where the reservation in progress is remembered, so a crash between read and clear loses nothing. */
  reservation: { get(): Promise<string | undefined>; set(processId: string | undefined): Promise<void> };
  authConnector?: string;
  now(): number;
}

export interface OfflineDrainResult {
  read: number;
  /** Rows that became jobs (the rest were already queued from the online POST). */
  queued: number;
  /** Whether rows were reserved and cleared after queuing (`rest_offline_extended`), or deleted on read. */
  mode: "reserve" | "clear-on-read";
}

const PAGE = 50;
/** A drain stops after this many pages; the next nudge or tick carries on. */
const MAX_PAGES = 200;

/**
 * Moves the portal's offline queue into ours (api-reference/events/offline-events.md):
 * rows are read under a reservation (`clear=0` gives a `process_id`), queued
 * with the same idempotency key as the online POST of the same change (so a
 * handler sees each change once), and only then cleared. Portals without
 * `rest_offline_extended` refuse reservations (WRONG_LICENSE): there rows are
 * deleted as they are read, and a crash in between can lose that page.
 */
export async function drainOfflineEvents(deps: OfflineDrainDeps): Promise<OfflineDrainResult> {
  const result: OfflineDrainResult = { read: 0, queued: 0, mode: "reserve" };
  const connector = deps.authConnector ? { auth_connector: deps.authConnector } : {};
  // A reservation left by a run that died before clearing: finish it first.
  let pending = await deps.reservation.get();
  for (let page = 0; page < MAX_PAGES; page++) {
    let batch: OfflineBatch;
    try {
      const params = pending
        ? { process_id: pending, clear: 0, limit: PAGE, ...connector }
        : { clear: result.mode === "reserve" ? 0 : 1, limit: PAGE, ...connector };
      batch = (await deps.client.call<OfflineBatch>("event.offline.get", params)).result ?? {};
    } catch (error) {
      // The guarded client words this refusal as a MissingCapabilityError; its cause is the portal's.
      if (portalCode(error) === "WRONG_LICENSE" && result.mode === "reserve" && !pending) {
        result.mode = "clear-on-read";
        continue;
      }
      throw error;
    }
    const rows = batch.events ?? [];
    const processId = batch.process_id ?? undefined;
    if (processId && result.mode === "reserve") await deps.reservation.set(processId);
    for (const row of rows) if (await deps.enqueue(jobFor(deps, row))) result.queued++;
    result.read += rows.length;
    if (processId && result.mode === "reserve" && rows.length > 0)
      await deps.client.call("event.offline.clear", {
        process_id: processId,
        id: rows.map((r) => r.ID),
        ...connector,
      });
    if (processId) await deps.reservation.set(undefined);
    const wasPending = pending !== undefined;
    pending = undefined;
    if (rows.length < PAGE && !wasPending) break;
  }
  return result;
}

function jobFor(deps: OfflineDrainDeps, row: OfflineRow): NewJob {
  const data = (row.EVENT_DATA && typeof row.EVENT_DATA === "object" ? row.EVENT_DATA : {}) as FormObject;
  const receivedAt = deps.now();
  const parsed = Date.parse(row.TIMESTAMP_X);
  const ts = Number.isFinite(parsed) ? Math.floor(parsed / 1000) : Math.floor(receivedAt / 1000);
  const event = row.EVENT_NAME.toUpperCase();
  const payload: EventJobPayload = { event, data, ts, source: "offline", receivedAt };
  return eventJob(deps.memberId, payload);
}

/** The portal's error code behind an error, however it was wrapped on the way. */
function portalCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof B24Error) return e.code;
  return undefined;
}
