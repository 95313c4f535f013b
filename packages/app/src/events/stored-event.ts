import { createHash } from "node:crypto";
import type { FormObject, FormValue } from "../inbound/read-body.js";
import { field } from "../inbound/read-body.js";

/**
 * An event as the queue keeps it: what the portal said, without a single
 * token. The POST's `auth` block carries the triggering user's access and
 * refresh tokens and the app's application_token (docs/protocol.md §7.5);
 * handlers act through the tenant's own client, so none of those is stored.
 */
export interface StoredEvent {
  event: string;
  data: FormObject;
  /** The portal's `ts` (unix seconds) for online events; the row's TIMESTAMP_X for offline ones. */
  ts: number;
  /** Whether it came as the portal's POST or was read from the offline queue (`event.offline.get`). */
  source: "online" | "offline";
  /** The user whose action caused it (none for automation and offline rows). */
  userId?: number;
  /** Unix ms when the runtime took it in. */
  receivedAt: number;
}

/** Fields of `auth` that are not secrets: kept for handlers and logs. */
const PUBLIC_AUTH_FIELDS = ["domain", "client_endpoint", "server_endpoint", "member_id", "user_id", "status"];

export function publicAuth(auth: FormObject): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of PUBLIC_AUTH_FIELDS) {
    const value = field(auth, name);
    if (value) kept[name] = value;
  }
  return kept;
}

/**
 * The key of a change as both copies carry it: the event's name, the time in
 * seconds and a digest of `data`. An offline row's job has it as its id, so a
 * row read twice (a drain that died before clearing) is queued once. Online
 * POSTs add a tag of their own (event-job.ts): the portal never sends one
 * twice, and two changes of one deal in one second must both run.
 */
export function eventKey(event: string, data: FormObject, ts: number): string {
  return `${event.toUpperCase()}:${Math.floor(ts)}:${dataDigest(data)}`;
}

/** What the online and offline copies of one change have in common: the event and its data. */
export function eventStream(event: string, data: FormObject): string {
  return `${event.toUpperCase()}:${dataDigest(data)}`;
}

function dataDigest(data: FormObject): string {
  return createHash("sha256").update(stableJson(data)).digest("base64url").slice(0, 22);
}

/** JSON with object keys sorted and every scalar as a string, as a form carries it either way. */
function stableJson(value: FormValue | unknown): string {
  if (value === null || value === undefined) return '""';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  if (typeof value === "boolean") return JSON.stringify(value ? "1" : "0");
  return JSON.stringify(String(value));
}

/** The portal's `ts` in seconds; a missing or bad one is the time of receipt (it still gets a key). */
export function eventSeconds(ts: string, receivedAt: number): number {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : Math.floor(receivedAt / 1000);
}
