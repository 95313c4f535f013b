import type { MethodCaller } from "@b24kit/rest";
import { applyBots } from "../bots/apply-bots.js";
import { applyV2Bots, listV2Bots } from "../bots/apply-bots-v2.js";
import { BOT_EVENTS, BOT_V2_EVENTS } from "../bots/bot-payloads.js";
import { applyFieldTypes } from "../field-types/apply-field-types.js";
import { applyRobots } from "../robots/apply-robots.js";
import type { AppManifest } from "./app-manifest.js";
import { attemptBinding } from "./binding-attempt.js";

/** Where the portal reaches the app: handler URLs the manifest's bindings point at. */
export interface HandlerUrls {
  /** Prefix of every URL the runtime binds; bindings under it that the manifest lacks are removed. */
  base: string;
  placement(code: string): string;
  events: string;
  /** Where the portal POSTs when one of the app's robots runs (every robot: the POST names its code). */
  robots: string;
  /** The frame of one custom field type (USERFIELD_TYPE): one URL per type, as the portal wants them unique. */
  fieldType(code: string): string;
}

/** The runtime's handler URLs under the app's public URL (ending in /). */
export function handlerUrls(publicUrl: string): HandlerUrls {
  return {
    base: `${publicUrl}b24/`,
    placement: (code) => `${publicUrl}b24/placements/${code}`,
    events: `${publicUrl}b24/events`,
    robots: `${publicUrl}b24/robots`,
    fieldType: (code) => `${publicUrl}b24/field-types/${code}`,
  };
}

/** Lifecycle events the runtime always listens to (docs/protocol.md §2.4–2.6). */
export const LIFECYCLE_EVENTS = ["ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL"] as const;

export interface ApplyReport {
  bound: string[];
  unbound: string[];
  kept: string[];
  /** Bindings the portal refused (a module off, a plan without the placement): the rest still applies. */
  failed: Array<{ binding: string; code: string; message: string }>;
  /**
   * Bot ids by code of the manifest's bots registered on the portal (`bot CODE` in the lists above). Store
   * them per tenant and pass them as the next apply's `previousBots`: that is how bots the manifest drops
   * are found and unregistered.
   */
  bots: Record<string, number>;
}

export interface ApplyOptions {
  /** `bots` of this portal's previous report: those whose code the manifest no longer has are unregistered. */
  previousBots?: Readonly<Record<string, number>>;
}

interface PlacementBinding {
  placement: string;
  handler: string;
  title?: string;
}

interface EventBinding {
  event: string;
  handler: string;
  offline?: number;
}

/**
 * Makes the portal's bindings match the manifest: binds what is missing,
 * unbinds what the runtime bound earlier and the manifest no longer has, and
 * leaves bindings to other URLs alone. Running it twice changes nothing the
 * second time, so install, update and a manual re-apply share it. The
 * manifest's bots are registered with the events URL as their handler
 * (`bot CODE` in the report, their ids in `report.bots`); bots of
 * `options.previousBots` the manifest no longer has are unregistered.
 */
export async function applyManifest(
  client: MethodCaller,
  manifest: AppManifest,
  urls: HandlerUrls,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  const report: ApplyReport = { bound: [], unbound: [], kept: [], failed: [], bots: {} };
  const attempt = (binding: string, list: string[], fn: () => Promise<unknown>) =>
    attemptBinding(report.failed, binding, list, fn);

  if (manifest.placements.length > 0 || manifest.scopes.includes("placement")) {
    const existing = (await client.call<PlacementBinding[]>("placement.get")).result ?? [];
    const wanted = new Map(manifest.placements.map((p) => [p.placement, p]));
    for (const binding of existing) {
      if (!binding.handler.startsWith(urls.base)) continue;
      const want = wanted.get(binding.placement);
      const same = want && binding.handler === urls.placement(want.placement) && binding.title === want.title;
      if (same) continue;
      await attempt(`placement ${binding.placement}`, report.unbound, () =>
        client.call("placement.unbind", { PLACEMENT: binding.placement, HANDLER: binding.handler }),
      );
    }
    for (const p of manifest.placements) {
      const handler = urls.placement(p.placement);
      const present = existing.some(
        (b) => b.placement === p.placement && b.handler === handler && b.title === p.title,
      );
      if (present) {
        report.kept.push(`placement ${p.placement}`);
        continue;
      }
      await attempt(`placement ${p.placement}`, report.bound, () =>
        client.call("placement.bind", {
          PLACEMENT: p.placement,
          HANDLER: handler,
          TITLE: p.title,
          ...(p.description ? { DESCRIPTION: p.description } : {}),
          ...(p.bind ?? {}),
        }),
      );
    }
  }

  const existingEvents = ((await client.call<EventBinding[]>("event.get")).result ?? []).filter(
    (b) => !Number(b.offline),
  );
  const wantedEvents = new Set<string>([
    ...LIFECYCLE_EVENTS,
    ...manifest.events.map((e) => e.event.toUpperCase()),
  ]);
  // imbot.register and imbot.v2.Bot.register bind the bot events themselves (unregistering removes them):
  // they are the bots' business below, not the event list's.
  const botEvents = new Set<string>([...BOT_EVENTS, ...BOT_V2_EVENTS]);
  for (const binding of existingEvents) {
    if (!binding.handler.startsWith(urls.base)) continue;
    if (botEvents.has(binding.event.toUpperCase()) && !wantedEvents.has(binding.event.toUpperCase()))
      continue;
    if (wantedEvents.has(binding.event.toUpperCase()) && binding.handler === urls.events) continue;
    await attempt(`event ${binding.event}`, report.unbound, () =>
      client.call("event.unbind", { event: binding.event, handler: binding.handler }),
    );
  }
  for (const event of wantedEvents) {
    if (existingEvents.some((b) => b.event.toUpperCase() === event && b.handler === urls.events)) {
      report.kept.push(`event ${event}`);
      continue;
    }
    await attempt(`event ${event}`, report.bound, () =>
      client.call("event.bind", { event, handler: urls.events }),
    );
  }

  const previousBots = options.previousBots ?? {};
  if (manifest.bots.length > 0 || Object.keys(previousBots).length > 0) {
    const codes = new Set(manifest.bots.map((b) => b.code));
    const v2Wanted = manifest.bots.some((b) => b.api === "v2");
    const stale = Object.keys(previousBots).some((code) => !codes.has(code));
    // Chatbots 2.0 only when the manifest has v2 bots or a dropped bot may be one (classic apps never ask).
    const listed = v2Wanted || stale ? await listV2Bots(client) : undefined;
    const v2 =
      v2Wanted || listed?.length
        ? await applyV2Bots(client, manifest.bots, urls.events, listed, codes)
        : undefined;
    const classic = await applyBots(
      client,
      manifest.bots.filter((b) => b.api === "classic"),
      urls.events,
      previousBots,
      new Set(listed?.map((b) => b.code) ?? []),
    );
    for (const part of v2 ? [v2, classic] : [classic]) {
      report.bound.push(...part.bound);
      report.unbound.push(...part.unbound);
      report.kept.push(...part.kept);
      report.failed.push(...part.failed);
      Object.assign(report.bots, part.bots);
    }
  }

  if (manifest.robots.length > 0 || manifest.scopes.includes("bizproc")) {
    const robots = await applyRobots(client, manifest.robots, urls.robots);
    report.bound.push(...robots.bound);
    report.unbound.push(...robots.unbound);
    report.kept.push(...robots.kept);
    report.failed.push(...robots.failed);
  }

  // With the placement scope an app may have types from an earlier manifest: drop those it no longer has.
  if (manifest.fieldTypes.length > 0 || manifest.scopes.includes("placement")) {
    const types = await applyFieldTypes(client, manifest.fieldTypes, urls.fieldType, urls.base);
    report.bound.push(...types.bound);
    report.unbound.push(...types.unbound);
    report.kept.push(...types.kept);
    report.failed.push(...types.failed);
  }
  return report;
}
