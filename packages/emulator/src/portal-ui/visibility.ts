import type { AppRecord } from "../state/app-registry.js";
import type { PlacementBinding } from "../state/placement-binding.js";
import type { Installation, Portal } from "../state/portal.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";

/*
 * What the current UI user may see of installed apps (docs/protocol.md §2.1, §8.1):
 * placements render only for finished installations, and only to users with
 * access to the app. The emulator has no per-app access lists, so every active
 * portal user has access; a placement bound for one user (USER_ID) shows only
 * to that user.
 */

/** A placement binding on a page, with the app it belongs to. */
export interface VisiblePlacement {
  binding: PlacementBinding;
  installation: Installation;
  app: AppRecord;
  /** The visible text: the placement's TITLE (the app's name when it has none). */
  title: string;
}

/** The name the portal shows for an app. */
export function appName(app: AppRecord): string {
  return app.name || app.code || app.clientId;
}

/** Whether `user` may use the app at all (no access model: every active user may). */
export function userMayUseApp(_installation: Installation, user: PortalUser): boolean {
  return user.ACTIVE && !user.IS_BOT;
}

/** The placement's visible title: TITLE in the portal's language, else the first language's, else the app's name. */
export function placementTitle(binding: PlacementBinding, app: AppRecord): string {
  const en = binding.langAll.en?.TITLE;
  const first = Object.values(binding.langAll)[0]?.TITLE;
  return binding.title || en || first || appName(app);
}

/** Every binding of `code` (upper-case) the user sees on this portal, in binding order. */
export function visiblePlacements(
  world: World,
  portal: Portal,
  user: PortalUser,
  code: string,
): VisiblePlacement[] {
  const out: VisiblePlacement[] = [];
  for (const installation of portal.installations.values()) {
    if (!installation.installed || !userMayUseApp(installation, user)) continue;
    const app = world.apps.get(installation.clientId);
    if (!app) continue;
    for (const binding of installation.placements) {
      if (binding.placement !== code) continue;
      if (binding.userId > 0 && binding.userId !== user.ID) continue;
      out.push({ binding, installation, app, title: placementTitle(binding, app) });
    }
  }
  return out.sort((a, b) => a.binding.id - b.binding.id);
}

/** The app with this numeric id, if registered. */
export function appById(world: World, id: number): AppRecord | undefined {
  for (const app of world.apps.values()) if (app.id === id) return app;
  return undefined;
}

/** Finds a binding by id among the portal's installations. */
export function findBinding(
  portal: Portal,
  bindingId: number,
): { binding: PlacementBinding; installation: Installation } | undefined {
  for (const installation of portal.installations.values()) {
    const binding = installation.placements.find((b) => b.id === bindingId);
    if (binding) return { binding, installation };
  }
  return undefined;
}
