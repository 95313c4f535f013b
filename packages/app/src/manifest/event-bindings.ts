import type { AppManifest } from "./app-manifest.js";
import { LIFECYCLE_EVENTS } from "./apply-manifest.js";

/** An app with offline events listens to ONOFFLINEEVENT, the portal's nudge to read them (api-reference/events/on-offline-event.md). */
export function withOfflineNudge(manifest: AppManifest): AppManifest {
  if (!manifest.events.some((e) => e.offline)) return manifest;
  if (manifest.events.some((e) => e.event.toUpperCase() === "ONOFFLINEEVENT")) return manifest;
  return { ...manifest, events: [...manifest.events, { event: "ONOFFLINEEVENT" }] };
}

/** Handlers name events the manifest binds; events need a queue to wait in. */
export function checkEventHandlers(
  manifest: AppManifest,
  given: { events: string[]; bots: boolean; queue: boolean },
): void {
  const bound = new Set([...manifest.events.map((e) => e.event.toUpperCase()), ...LIFECYCLE_EVENTS]);
  for (const name of given.events) {
    if (name !== name.toUpperCase()) throw new Error(`Event handler ${name}: event names are upper case`);
    if (!bound.has(name) && !name.startsWith("ONIMBOT"))
      throw new Error(`Event handler ${name} has no event in the manifest (manifest.events)`);
  }
  if ((given.events.length > 0 || given.bots) && !given.queue)
    throw new Error(
      "createApp has event handlers but no queue: pass `queue` (sqliteJobQueue from @b24kit/app/sqlite, or bullmqJobQueue from @b24kit/app/bullmq)",
    );
}
